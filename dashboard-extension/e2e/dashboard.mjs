// A stand-in for the Saleor Dashboard: it opens every mount of the extension exactly as the
// real Dashboard does, from a page of another origin, and speaks the Dashboard's side of
// app-sdk's protocol. So the e2e sees what a merchant sees: the iframe URL the Dashboard
// builds (url-join drops the trailing slash of `appUrl`: `http://app/dashboard?domain=…`),
// the referrer the app's page gets (app-sdk's AppBridge takes the Dashboard's origin from
// `document.referrer` and ignores every message from elsewhere), and the handshake.
//
// The URL functions below are those of saleor/saleor-dashboard (main at
// f5a84f3afb4f9b25cd0ff75434dfb5b70ea3c282), with the same packages (url-join 4, qs):
//   src/extensions/urls.ts                    ExtensionsUrls.resolveAppIframeUrl,
//                                             resolveAppCompleteUrlFromDashboardUrl,
//                                             resolveDashboardUrlFromAppCompleteUrl
//   src/components/Sidebar/menu/utils.ts      resolveExtensionMenuUrl (the menu entry)
//   src/extensions/views/ViewManifestExtension/ViewManifestExtensionIframe.tsx  (APP_PAGE)
//   src/extensions/components/AppWidgets/AppWidgetExtensionItem.tsx            (WIDGET)
//   .../components/AppFrame/AppFrame.tsx, AppIFrame.tsx, appActionsHandler.ts  (handshake:
//     on the iframe's load and in answer to notifyReady; `response` to every action;
//     postMessage to the app's origin only)
// The events come from app-sdk's own DashboardEventFactory, as in the Dashboard.
import { createServer } from "node:http";

import { DashboardEventFactory } from "@saleor/app-sdk/app-bridge";
import qs from "qs";
import urlJoin from "url-join";

const extensionsAppSection = "/extensions/app";
const resolveViewManifestExtension = (id) => urlJoin(extensionsAppSection, id);
const stringifyQs = (params, arrayFormat) => qs.stringify(params, { arrayFormat: arrayFormat || "indices" });
const isUrlAbsolute = (url) => /^https?:\/\//.test(url);

/** The menu entry's Dashboard path of an APP_PAGE extension (resolveExtensionMenuUrl). */
export function resolveExtensionMenuUrl(extension, app) {
  if (isUrlAbsolute(extension.url) || !app.appUrl) return undefined;
  const deepSubPath = extension.url.replace(app.appUrl, "");
  return urlJoin(resolveViewManifestExtension(encodeURIComponent(app.id)), deepSubPath);
}

/** The app URL the Extensions view loads for a Dashboard path (ViewManifestExtensionIframe). */
export function resolveAppCompleteUrlFromDashboardUrl(dashboardUrl, appUrl, appId) {
  const deepSubPath = dashboardUrl.replace(resolveViewManifestExtension(encodeURIComponent(appId)), "");
  return urlJoin(appUrl, deepSubPath);
}

/** The iframe's src (ExtensionsUrls.resolveAppIframeUrl); `search` is the Dashboard page's own. */
export function resolveAppIframeUrl(appId, appUrl, params, { apiUrl, search = "" }) {
  const iframeContextQueryString = `?${stringifyQs({ domain: new URL(apiUrl).host, saleorApiUrl: apiUrl, id: appId, ...params }, "comma")}`;
  return urlJoin(appUrl, search, iframeContextQueryString);
}

/** Where a widget extension points (AppWidgetExtensionItem), then the src AppIFrame gives it. */
export function resolveWidgetIframeUrl(extension, app, mountParams, context) {
  const extensionUrl = isUrlAbsolute(extension.url) ? extension.url : `${app.appUrl ?? ""}${extension.url}`;
  const appIframeUrl = resolveAppIframeUrl(app.id, extensionUrl, { id: app.id, theme: context.theme }, context);
  return resolveAppIframeUrl(app.id, appIframeUrl, { ...mountParams, featureFlags: {}, theme: context.theme }, context);
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body, frames, session) {
  const handshake = DashboardEventFactory.createHandshakeEvent(session.token, 1, { core: "3.24.0", dashboard: "stand-in" });
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><link rel="icon" href="data:,"></head>
<body style="margin:0;font-family:sans-serif"><nav data-testid="sidebar">${body}</nav>
${frames.map((frame) => `<iframe data-mount="${escape(frame.mount)}" src="${escape(frame.src)}" style="border:0;width:100%;height:${frame.height}px"
  sandbox="allow-same-origin allow-forms allow-scripts allow-downloads allow-popups"></iframe>`).join("\n")}
<script>
  const handshake = ${JSON.stringify(handshake)};
  window.__actions = [];
  const frames = [...document.querySelectorAll("iframe")];
  const originOf = (frame) => new URL(frame.src).origin;
  const post = (frame, event) => frame.contentWindow.postMessage(event, originOf(frame));
  for (const frame of frames) frame.addEventListener("load", () => post(frame, handshake));
  window.addEventListener("message", (event) => {
    const frame = frames.find((candidate) => candidate.contentWindow === event.source);
    if (!frame || event.origin !== originOf(frame)) return;
    const action = event.data;
    if (!action || !action.type || !action.payload || !action.payload.actionId) return;
    window.__actions.push({ mount: frame.dataset.mount, type: action.type, payload: action.payload });
    if (action.type === "notifyReady") post(frame, handshake);
    post(frame, { type: "response", payload: { actionId: action.payload.actionId, ok: true } });
  });
  /** Dashboard events to the (first) app frame: theme, localeChanged, tokenRefresh. */
  window.sendToApp = (type, payload) => post(frames[0], { type, payload });
</script></body></html>`;
}

/**
 * Serve the stand-in on 127.0.0.1 and a free port (another origin than the app's).
 * `manifest` is the app's manifest, `session` a Dashboard token of the installation
 * (`{token, saleorApiUrl, appId}`). Pages, as in the Dashboard:
 *   /                              the sidebar: Customers → the app's NAVIGATION_CUSTOMERS entries, Extensions
 *   /extensions/app/<id>[/<path>]  the app's page (APP_PAGE), also as the menu links it
 *   /customers/<id>                a customer's page with the CUSTOMER_DETAILS_WIDGETS
 *   /orders/<id>                   an order's page with the ORDER_DETAILS_WIDGETS
 */
export async function startStandInDashboard({ manifest, session, theme = "light" }) {
  const app = { id: session.appId, appUrl: manifest.appUrl };
  const context = { apiUrl: session.saleorApiUrl, theme };
  const byMount = (mount) => manifest.extensions.filter((extension) => extension.mount === mount);
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://stand-in");
    const send = (status, html) => response.writeHead(status, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    const context_ = { ...context, search: url.search };
    const home = resolveViewManifestExtension(encodeURIComponent(app.id));
    if (url.pathname === "/") {
      const entries = byMount("NAVIGATION_CUSTOMERS")
        .map((extension) => `<a data-testid="menu-${escape(extension.label)}" href="${escape(resolveExtensionMenuUrl(extension, app))}">${escape(extension.label)}</a>`)
        .join(" ");
      return send(200, page("Dashboard", `Customers: ${entries} · <a data-testid="menu-extension" href="${escape(home)}">Extensions → the app</a>`, [], session));
    }
    if (url.pathname === home || url.pathname.startsWith(`${home}/`)) {
      const appCompleteUrl = resolveAppCompleteUrlFromDashboardUrl(url.pathname, app.appUrl, app.id);
      // AppPage renders AppFrame without mount params; AppIFrame adds featureFlags and theme.
      const src = resolveAppIframeUrl(app.id, appCompleteUrl, { featureFlags: {}, theme }, context_);
      return send(200, page("App", "App page", [{ mount: "APP_PAGE", src, height: 860 }], session));
    }
    const detail = url.pathname.match(/^\/(customers|orders)\/([^/]+)\/?$/);
    if (detail) {
      const [mount, param] = detail[1] === "customers" ? ["CUSTOMER_DETAILS_WIDGETS", "customerId"] : ["ORDER_DETAILS_WIDGETS", "orderId"];
      const frames = byMount(mount).map((extension) => ({
        mount,
        src: resolveWidgetIframeUrl(extension, app, { [param]: decodeURIComponent(detail[2]) }, context_),
        height: 520,
      }));
      return send(200, page(mount, mount, frames, session));
    }
    return send(404, "not a page of the stand-in Dashboard");
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}
