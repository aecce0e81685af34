export { Command, closeOnSignals, isHost, listenFailure, portNumber, type Closable, type CommandSpec, type OptionTable, type ParsedCommandLine } from "./command.js";
export { listen, type ListeningServer } from "./listen.js";
