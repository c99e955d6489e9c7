/**
 * Issue 11: LinkedIn's own JS client (linkedin-api-client) drives the sandbox unchanged except for its
 * base URL. The client hard-codes https://api.linkedin.com/rest into every request URL and offers no
 * base-URL option, but exposes its axios instance (`RestliClient#axiosInstance`); the test adds one
 * request interceptor there that swaps that origin for the sandbox's. Nothing else is touched.
 */
import { RestliClient } from 'linkedin-api-client';
import { describe, expect, it } from 'vitest';
import { firstAccount, li, token, useLinkedInContract } from './support/linkedin-contract';

useLinkedInContract();

const VERSION = '202608';

function officialClient(): RestliClient {
  const client = new RestliClient();
  client.axiosInstance.interceptors.request.use((config) => ({ ...config, url: config.url?.replace('https://api.linkedin.com', li.url) }));
  return client;
}

describe('linkedin-api-client against the sandbox (only the base URL redirected)', () => {
  it('§2.4 finder: adCampaigns?q=search with a nested search record', async () => {
    const account = firstAccount();
    const response = await officialClient().finder({
      resourcePath: '/adAccounts/{id}/adCampaigns',
      pathKeys: { id: account.id },
      finderName: 'search',
      queryParams: { search: { status: { values: ['ACTIVE', 'PAUSED', 'DRAFT'] } }, pageSize: 100 },
      versionString: VERSION,
      accessToken: token,
    });
    expect(response.status).toBe(200);
    const ids = (response.data.elements as { id: number }[]).map((c) => String(c.id));
    expect(ids).toEqual(expect.arrayContaining(account.campaignIds.slice(0, 1)));
  });

  it('§2.4 partial update of a campaign (204) is visible on GET', async () => {
    const account = firstAccount();
    const campaignId = account.campaignIds[0]!;
    const client = officialClient();
    const update = await client.partialUpdate({
      resourcePath: '/adAccounts/{accountId}/adCampaigns/{id}',
      pathKeys: { accountId: account.id, id: campaignId },
      patchSetObject: { name: 'Renamed by the official client' },
      versionString: VERSION,
      accessToken: token,
    });
    expect(update.status).toBe(204);
    const read = await client.get({ resourcePath: '/adAccounts/{accountId}/adCampaigns/{id}', pathKeys: { accountId: account.id, id: campaignId }, versionString: VERSION, accessToken: token });
    expect(read.data).toMatchObject({ name: 'Renamed by the official client' });
  });

  it('TRK-8 the adTrackingParameters resource: update (PUT) with a complex key, get, delete', async () => {
    const campaignUrn = `urn:li:sponsoredCampaign:${firstAccount().campaignIds[0]!}`;
    const key = { adEntity: { sponsoredCampaign: campaignUrn } };
    const client = officialClient();
    const entity = { adEntity: { sponsoredCampaign: campaignUrn }, dynamicValueParameters: { hsa_ad: 'CREATIVE_ID' }, customValueParameters: { utm_source: 'linkedin' } };
    const put = await client.update({ resourcePath: '/adTrackingParameters/{key}', pathKeys: { key }, entity, versionString: VERSION, accessToken: token });
    expect(put.status).toBe(204);
    const read = await client.get({ resourcePath: '/adTrackingParameters/{key}', pathKeys: { key }, versionString: VERSION, accessToken: token });
    expect(read.data).toEqual(entity);
    const removed = await client.delete({ resourcePath: '/adTrackingParameters/{key}', pathKeys: { key }, versionString: VERSION, accessToken: token });
    expect(removed.status).toBe(204);
    const gone = await client.get({ resourcePath: '/adTrackingParameters/{key}', pathKeys: { key }, versionString: VERSION, accessToken: token }).catch((error: { response?: { status: number } }) => error.response);
    expect(gone?.status).toBe(404);
  });
});
