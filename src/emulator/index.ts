/**
 * The switch side: a sans-I/O {@link SwitchEmulator} (a datapath with flow tables, ports and
 * stats, shared by any number of controller sessions), {@link serveSwitch} to put one on a
 * connection, and {@link SwitchFleet} to run many at once.
 */
export {
  SwitchEmulator, type SwitchEmulatorOptions, type EmulatorSession, type SwitchEmulatorEvents,
} from './switch.js';
export type { FlowEntry } from './flow-table.js';
export { serveSwitch, type Answered } from './serve.js';
export { SwitchFleet, startSwitchFleet, MAX_FLEET, type SwitchFleetOptions, type FleetMember } from './fleet.js';
