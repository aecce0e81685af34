export { docsHtmlPath, serveDocs, type DocsServer } from "./server.js";
