// The workflow bundle's entry: every workflow type the worker runs.
export { smokeWorkflow } from './smoke';
export { connectWorkflow } from './connect';
export { accountWorkflow } from './account';
export { conversionWorkflow } from './conversions';
export { leadSyncWorkflow } from './lead-sync';
export { adsWatcherWorkflow } from './ads-watcher';
