export { docsHtmlPath, serveDocs, type DocsServer } from "./server.js";
export { offlinePolicy, sealForOffline, withOfflinePolicy } from "./offline-page.js";
