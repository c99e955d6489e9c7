import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The ad account a network call is made for. Client methods that take an account run their calls
 * inside this scope, so the transports charge (and hold back) that account without every request
 * helper passing it along; calls outside any account (OAuth, account lists) charge the app only.
 */
const accountScope = new AsyncLocalStorage<string>();

export function inAccountScope<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
  return accountScope.run(accountId, fn);
}

export function currentAccount(): string | undefined {
  return accountScope.getStore();
}
