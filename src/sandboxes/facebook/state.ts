import type { AppUsageMeter } from './app-usage';
import type { ConversionsLedger } from './conversions';
import type { TokenService } from './tokens';
import type { UsageMeter } from './usage';
import type { WebhookDispatcher } from './webhook';
import type { FacebookWorld } from './world';

/** Everything the Facebook sandbox keeps, handed to every route. */
export interface FacebookState {
  world: FacebookWorld;
  tokens: TokenService;
  usage: UsageMeter;
  appUsage: AppUsageMeter;
  conversions: ConversionsLedger;
  webhook: WebhookDispatcher;
}
