export { listen, type ListeningServer } from "./listen.js";
