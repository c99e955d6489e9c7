import { createLogger } from '../logging';
import { startSandboxes } from '.';

/**
 * The sandboxes as one process for `npm start`: fixed local ports, printed as one JSON line the
 * launcher reads. They hold their worlds in memory; the demo seeds them at every start.
 */
async function main(): Promise<void> {
  const logger = createLogger({ name: 'adtrack-sandboxes' });
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const sandboxes = await startSandboxes({
    ports: {
      facebook: port('SANDBOX_FACEBOOK_PORT', 4101),
      google: port('SANDBOX_GOOGLE_PORT', 4102),
      linkedin: port('SANDBOX_LINKEDIN_PORT', 4103),
      landing: port('SANDBOX_LANDING_PORT', 4104),
    },
    ...(process.env.TRACKING_SCRIPT_URL ? { trackingScriptUrl: process.env.TRACKING_SCRIPT_URL } : {}),
  });
  logger.info({ urls: sandboxes.urls }, 'sandboxes ready');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void sandboxes.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  createLogger({ name: 'adtrack-sandboxes' }).fatal({ err: error }, 'sandboxes failed to start');
  process.exit(1);
});
