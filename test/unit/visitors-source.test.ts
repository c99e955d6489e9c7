import { describe, expect, it } from 'vitest';
import { CLICK_ID_NETWORKS, adClickKey, classifyTrafficSource, extractSessionSource, isAdClickSource } from '../../src/domain/visitors';

describe('session source: UTM, hsa_* and click ids of the landing URL', () => {
  it('a Facebook click: utm_* and hsa_* are split and the ad is identified', () => {
    const source = extractSessionSource(
      'https://shop.test/p/spring?utm_source=facebook&utm_medium=paid&utm_campaign=Spring%20Sale&hsa_acc=1234567890&hsa_cam=111' +
        '&hsa_grp=222&hsa_ad=5550001&hsa_net=facebook&hsa_src=instagram&hsa_ver=3&fbclid=IwAR0abc',
    );
    expect(source.utm).toEqual({ utm_source: 'facebook', utm_medium: 'paid', utm_campaign: 'Spring Sale' });
    expect(source.hsa).toEqual({
      hsa_acc: '1234567890',
      hsa_cam: '111',
      hsa_grp: '222',
      hsa_ad: '5550001',
      hsa_net: 'facebook',
      hsa_src: 'instagram',
      hsa_ver: '3',
    });
    expect(source.clickIds).toEqual({ fbclid: 'IwAR0abc' });
    expect(source.adClick).toEqual({ network: 'facebook', accountId: '1234567890', campaignId: '111', adGroupId: '222', adId: '5550001' });
    expect(isAdClickSource(source)).toBe(true);
  });

  it('a Google click (TRK-7 template) keeps utm_term/utm_device and the gclid', () => {
    const source = extractSessionSource(
      'https://shop.test/p/x?utm_feeditemid=&utm_device=m&utm_term=running+shoes&utm_source=google&utm_medium=ppc&utm_campaign=Shoes' +
        '&hsa_cam=111&hsa_grp=222&hsa_mt=e&hsa_src=g&hsa_ad=333&hsa_acc=123-456-7890&hsa_net=adwords&hsa_kw=running+shoes&hsa_tgt=kwd-1&hsa_ver=3&gclid=Cj0KCQjw',
    );
    expect(source.utm).toMatchObject({ utm_device: 'm', utm_term: 'running shoes', utm_campaign: 'Shoes' });
    expect(source.utm.utm_feeditemid).toBeUndefined(); // empty values are missing
    expect(source.clickIds).toEqual({ gclid: 'Cj0KCQjw' });
    expect(source.adClick).toMatchObject({ network: 'google', accountId: '1234567890', campaignId: '111', adGroupId: '222', adId: '333' });
  });

  it('a LinkedIn click: campaign group / campaign / creative, and li_fat_id', () => {
    const source = extractSessionSource(
      'https://shop.test/p/w?utm_source=linkedin&utm_medium=paid&utm_campaign=Webinar&hsa_net=linkedin&hsa_ver=3&hsa_acc=507404993' +
        '&hsa_cam=77&hsa_grp=123&hsa_ad=172681003&li_fat_id=abc-123',
    );
    expect(source.adClick).toEqual({
      network: 'linkedin',
      accountId: '507404993',
      campaignGroupId: '77',
      campaignId: '123',
      adGroupId: '123',
      adId: '172681003',
    });
    expect(source.clickIds).toEqual({ li_fat_id: 'abc-123' });
  });

  it('the connected networks\' click ids are recognised; msclkid (Microsoft, not connected) is ignored', () => {
    expect(Object.keys(CLICK_ID_NETWORKS).sort()).toEqual(['fbclid', 'gbraid', 'gclid', 'li_fat_id', 'wbraid']);
    const source = extractSessionSource('https://shop.test/?msclkid=9f8e&wbraid=WB1');
    expect(source.clickIds).toEqual({ wbraid: 'WB1' });
  });

  it('empty and oversized click ids are ignored; the first occurrence wins; key case does not matter', () => {
    expect(extractSessionSource('https://shop.test/?gclid=&fbclid=a&FBCLID=b').clickIds).toEqual({ fbclid: 'a' });
    expect(extractSessionSource(`https://shop.test/?gclid=${'x'.repeat(600)}`).clickIds).toEqual({});
  });

  it('unreplaced macros carry no information and a fragment is not part of the query', () => {
    const source = extractSessionSource('https://shop.test/p/x?hsa_net=facebook&hsa_acc=1&hsa_ad={{ad.id}}#hsa_cam=9');
    expect(source.hsa).toEqual({ hsa_net: 'facebook', hsa_acc: '1' });
    expect(source.adClick).toEqual({ network: 'facebook', accountId: '1' });
  });

  it('a plain visit has an empty source and is not an ad click', () => {
    const source = extractSessionSource('https://shop.test/pricing');
    expect(source).toEqual({ utm: {}, hsa: {}, clickIds: {}, adClick: null });
    expect(isAdClickSource(source)).toBe(false);
  });

  it('the advertiser\'s own UTMs without our hsa_* parameters are a source but not an ad click', () => {
    const source = extractSessionSource('https://shop.test/p/x?utm_source=newsletter&utm_content=hero');
    expect(source.utm).toEqual({ utm_source: 'newsletter', utm_content: 'hero' });
    expect(isAdClickSource(source)).toBe(false);
  });

  it('adClickKey: same click → same key whatever the parameter order; another ad → another key', () => {
    const a = extractSessionSource('https://shop.test/?hsa_net=facebook&hsa_acc=1&hsa_ad=2&fbclid=x');
    const b = extractSessionSource('https://shop.test/?fbclid=x&hsa_ad=2&hsa_acc=1&hsa_net=facebook');
    const c = extractSessionSource('https://shop.test/?hsa_net=facebook&hsa_acc=1&hsa_ad=3&fbclid=x');
    expect(adClickKey(a)).toBe(adClickKey(b));
    expect(adClickKey(a)).not.toBe(adClickKey(c));
  });
});

describe('original source (channel) of a session', () => {
  const classify = (url: string, referrer?: string) => classifyTrafficSource(extractSessionSource(url), referrer, 'shop.test');

  it('our tags decide the paid channel', () => {
    expect(classify('https://shop.test/?hsa_net=adwords&hsa_acc=1&hsa_cam=2')).toBe('paid_search');
    expect(classify('https://shop.test/?hsa_net=facebook&hsa_acc=1&hsa_ad=2')).toBe('paid_social');
    expect(classify('https://shop.test/?hsa_net=linkedin&hsa_acc=1&hsa_ad=2')).toBe('paid_social');
  });

  it('click ids: gclid is paid search; fbclid alone is social (Facebook adds it to organic links too)', () => {
    expect(classify('https://shop.test/?gclid=abc')).toBe('paid_search');
    expect(classify('https://shop.test/?fbclid=abc', 'l.facebook.com')).toBe('social_media');
    expect(classify('https://shop.test/?fbclid=abc&utm_medium=paid')).toBe('paid_social');
  });

  it('UTM media: paid, email, other campaigns', () => {
    expect(classify('https://shop.test/?utm_source=bing&utm_medium=cpc')).toBe('paid_search');
    expect(classify('https://shop.test/?utm_source=instagram&utm_medium=paid')).toBe('paid_social');
    expect(classify('https://shop.test/?utm_source=newsletter&utm_content=hero')).toBe('email_marketing');
    expect(classify('https://shop.test/?utm_medium=email')).toBe('email_marketing');
    expect(classify('https://shop.test/?utm_source=partner&utm_campaign=x')).toBe('other_campaigns');
  });

  it('referrers: search engines, social sites, other sites, own site and none', () => {
    expect(classify('https://shop.test/', 'www.google.com')).toBe('organic_search');
    expect(classify('https://shop.test/', 'www.google.co.uk')).toBe('organic_search');
    expect(classify('https://shop.test/', 'duckduckgo.com')).toBe('organic_search');
    expect(classify('https://shop.test/', 'www.linkedin.com')).toBe('social_media');
    expect(classify('https://shop.test/', 't.co')).toBe('social_media');
    expect(classify('https://shop.test/', 'blog.partner.example')).toBe('referrals');
    expect(classify('https://shop.test/', 'notgoogle.example')).toBe('referrals');
    expect(classify('https://shop.test/', 'shop.test')).toBe('direct_traffic');
    expect(classify('https://shop.test/')).toBe('direct_traffic');
  });
});
