import { describe, it } from 'vitest';
import { useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { clickAd, listAds, seedAndConnect, waitForSweeps } from '../support/tracking-helpers';

describe('explore', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  for (const network of ['google', 'linkedin'] as const) {
    it(network, async () => {
      const { account, seeded } = await seedAndConnect(stack, sandboxes, network, { adsPerAccount: 12 });
      console.log(JSON.stringify(seeded).slice(0, 3000));
      const live = await waitForSweeps(stack, account.id, 1);
      console.log(JSON.stringify(live));
      const ads = await listAds(stack, account.id);
      for (const ad of ads) {
        let url = '';
        try { url = ad.trackingStatus === 'tracked' ? (await clickAd(sandboxes, network, ad.adId)).toString() : ''; } catch (e) { url = String(e); }
        console.log(ad.adId, ad.format, ad.status, ad.trackingStatus, ad.error?.code, ad.landingUrl, JSON.stringify(ad.appliedParams), url);
      }
    });
  }
});
