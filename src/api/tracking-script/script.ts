/**
 * The tracking script served at GET /t.js (VIS-1): dependency-free, ES5, a few kilobytes.
 * - Sets the first-party visitor cookie `adtrack_vid` (16 random bytes, hex) when missing and
 *   refreshes its lifetime on every visit.
 * - Reports every page view (URL, referrer, title) with navigator.sendBeacon (text/plain, so no CORS
 *   preflight), falling back to fetch keepalive; SPA navigations (pushState / popstate) count too.
 * - Form helper: `window.adtrack.submitForm(formId, { email, fields })` posts a submission with the
 *   visitor token, a fresh submission id (retries reuse it) and the Meta pixel's `_fbc` / `_fbp`
 *   cookies when the site runs the pixel; forms marked
 *   `data-adtrack-form="<formId>"` are wired automatically. Such a form without an `action` is not
 *   navigated away from (that would put the answers into the URL); the form gets
 *   `data-adtrack-status` = sending | sent | failed and an `adtrack:submitted` event.
 * - Consent (issue 15 item 8b): with `data-consent="required"` on the script tag nothing happens —
 *   no cookie, no request — until the page calls `adtrack.consent(true)`, as Meta's pixel waits for
 *   `fbq('consent', 'grant')`. `adtrack.consent(false)` is the opt-out in either mode: the visitor
 *   cookie is deleted, `adtrack_optout=1` remembers the refusal and nothing more is sent. Without
 *   consent a form still submits (the visitor sends it on purpose) but carries no visitor token or
 *   Meta cookies. Calls made before the script loaded wait in `window.adtrack.q` (`[['consent', true]]`).
 * - The first page view of a page goes out with fetch so its answer can be read: a site missing from
 *   CORS_SITE_ORIGINS gets a console warning instead of silently losing every beacon.
 */
import { VISITOR_COOKIE_MAX_AGE_SECONDS, VISITOR_COOKIE_NAME, VISITOR_OPT_OUT_COOKIE_NAME, VISITOR_TOKEN_BYTES } from '../../domain/visitors';

export function trackingScript(apiBaseUrl: string): string {
  const config = JSON.stringify({
    api: apiBaseUrl.replace(/\/+$/, ''),
    cookie: VISITOR_COOKIE_NAME,
    maxAge: VISITOR_COOKIE_MAX_AGE_SECONDS,
    bytes: VISITOR_TOKEN_BYTES,
    optOut: VISITOR_OPT_OUT_COOKIE_NAME,
  });
  return `/* adtrack visitor tracking */
(function (w, d) {
  'use strict';
  if (w.adtrack && w.adtrack.loaded) return;
  var C = ${config};
  var script = d.currentScript;
  var consentRequired = Boolean(script && script.getAttribute('data-consent') === 'required');
  var queued = (w.adtrack && w.adtrack.q) || [];

  function hex(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  function randomHex(n) {
    var bytes = new Uint8Array(n);
    if (w.crypto && w.crypto.getRandomValues) w.crypto.getRandomValues(bytes);
    else for (var i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
    return hex(bytes);
  }
  function readCookie(name) {
    var parts = d.cookie ? d.cookie.split(';') : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].replace(/^\\s+/, '');
      if (kv.indexOf(name + '=') === 0) return decodeURIComponent(kv.slice(name.length + 1));
    }
    return null;
  }
  function setCookie(name, value, maxAge) {
    d.cookie = name + '=' + value + '; Max-Age=' + maxAge + '; Path=/; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
  }
  function visitorToken() {
    var token = readCookie(C.cookie);
    if (!token || !/^[0-9a-f]{32}$/.test(token)) token = randomHex(C.bytes);
    // First-party cookie, refreshed on every visit.
    setCookie(C.cookie, token, C.maxAge);
    return token;
  }
  /** Null until tracking may run: consent given (or not required) and no opt-out. */
  var token = null;

  var warned = false;
  function warnIfRefused(res) {
    if (warned || res.status !== 403) return;
    res.json().then(function (body) {
      if (warned || !body || !body.error || body.error.code !== 'origin_not_allowed') return;
      warned = true;
      if (w.console && w.console.warn) w.console.warn('[adtrack] ' + location.origin + ' is not in CORS_SITE_ORIGINS of ' + C.api + ': its page views and form submissions are refused. Add the origin to CORS_SITE_ORIGINS.');
    })['catch'](function () {});
  }
  function post(path, data) {
    return w.fetch(C.api + path, { method: 'POST', body: data, keepalive: true, mode: 'cors', credentials: 'omit', headers: { 'Content-Type': 'text/plain' } });
  }
  function send(path, body, readAnswer) {
    var data = JSON.stringify(body);
    if (readAnswer && w.fetch) { post(path, data).then(warnIfRefused)['catch'](function () {}); return; }
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(C.api + path, data)) return;
    } catch (e) { /* fall back to fetch */ }
    if (w.fetch) post(path, data)['catch'](function () {});
  }

  var lastUrl = null;
  function pageView() {
    if (!token) return;
    var url = location.href;
    if (url === lastUrl) return;
    var referrer = lastUrl || d.referrer || '';
    var first = lastUrl === null;
    lastUrl = url;
    send('/t/pageview', { visitorToken: token, url: url, referrer: referrer, title: d.title || '', pageViewId: randomHex(12) }, first);
  }

  function start() {
    if (token) return;
    token = visitorToken();
    pageView();
  }
  function consent(granted) {
    if (granted) {
      if (readCookie(C.optOut)) setCookie(C.optOut, '', 0);
      start();
      return;
    }
    token = null;
    lastUrl = null;
    setCookie(C.cookie, '', 0);
    setCookie(C.optOut, '1', C.maxAge);
  }

  function submitForm(formId, data, submissionId) {
    var body = {
      email: data && data.email,
      fields: (data && data.fields) || {},
      pageUrl: location.href,
      submissionId: submissionId || randomHex(16)
    };
    if (token) {
      body.visitorToken = token;
      // The Meta pixel's own cookies, when the site runs it: they improve Facebook's match of the event.
      var fbc = readCookie('_fbc'), fbp = readCookie('_fbp');
      if (fbc) body.fbc = fbc;
      if (fbp) body.fbp = fbp;
    }
    if (!w.fetch) { send('/t/forms/' + encodeURIComponent(formId) + '/submissions', body); return Promise.resolve({ ok: true }); }
    // 503 (the service is briefly unavailable) and 429 say when to try again: the same submissionId
    // makes the retry idempotent, so nothing is lost and nothing doubled.
    function attempt(left) {
      return w.fetch(C.api + '/t/forms/' + encodeURIComponent(formId) + '/submissions', {
        method: 'POST', body: JSON.stringify(body), keepalive: true, mode: 'cors', credentials: 'omit', headers: { 'Content-Type': 'text/plain' }
      }).then(function (res) {
        if (res.status === 403) warnIfRefused(res.clone());
        if ((res.status === 503 || res.status === 429) && left > 0) {
          var wait = Math.min(Math.max(Number(res.headers.get('Retry-After')) || 1, 1), 10);
          return new Promise(function (resolve) { setTimeout(resolve, wait * 1000); }).then(function () { return attempt(left - 1); });
        }
        return { ok: res.ok, status: res.status };
      });
    }
    return attempt(2);
  }

  function collect(form) {
    var email = null, fields = {};
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || el.disabled) continue;
      var type = (el.type || '').toLowerCase();
      if (type === 'password' || type === 'file' || type === 'submit' || type === 'button' || type === 'hidden' && el.name.indexOf('adtrack') === 0) continue;
      if ((type === 'checkbox' || type === 'radio') && !el.checked) continue;
      if (email === null && (type === 'email' || el.name.toLowerCase() === 'email')) { email = el.value; continue; }
      fields[el.name] = String(el.value).slice(0, 1000);
    }
    return { email: email, fields: fields };
  }

  function wire(form) {
    if (form.getAttribute('data-adtrack-wired')) return;
    form.setAttribute('data-adtrack-wired', '1');
    form.addEventListener('submit', function (event) {
      var formId = form.getAttribute('data-adtrack-form');
      if (!formId) return;
      var keepPage = !form.getAttribute('action');
      if (keepPage) event.preventDefault();
      form.setAttribute('data-adtrack-status', 'sending');
      submitForm(formId, collect(form)).then(function (result) {
        form.setAttribute('data-adtrack-status', result.ok ? 'sent' : 'failed');
        try { form.dispatchEvent(new CustomEvent('adtrack:submitted', { detail: result })); } catch (e) { /* old browsers */ }
      }, function () { form.setAttribute('data-adtrack-status', 'failed'); });
    });
  }
  function wireAll() {
    var forms = d.querySelectorAll('form[data-adtrack-form]');
    for (var i = 0; i < forms.length; i++) wire(forms[i]);
  }

  var push = w.history && w.history.pushState;
  if (push) {
    w.history.pushState = function () { var r = push.apply(this, arguments); setTimeout(pageView, 0); return r; };
    w.addEventListener('popstate', pageView);
  }

  w.adtrack = { loaded: true, visitorToken: function () { return token; }, submitForm: submitForm, trackPageView: pageView, consent: consent };
  if (!consentRequired && !readCookie(C.optOut)) start();
  for (var q = 0; q < queued.length; q++) {
    var call = queued[q];
    if (call && typeof w.adtrack[call[0]] === 'function') w.adtrack[call[0]].apply(null, Array.prototype.slice.call(call, 1));
  }
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', wireAll); else wireAll();
})(window, document);
`;
}
