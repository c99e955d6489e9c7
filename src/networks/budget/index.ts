export { NetworkBudget, headerLookup } from './network-budget';
export { RateBudget, type RateBudgetOptions } from './rate-budget';
export { inAccountScope } from './scope';
export { googleSignals, linkedinSignals } from './signals';
export { mongoBudgetStore, type BudgetStore } from './store';
