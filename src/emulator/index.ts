/**
 * The switch side: a sans-I/O {@link SwitchEmulator} (a datapath with flow tables, ports and
 * stats, shared by any number of controller sessions), {@link serveSwitch} to put one on a
 * connection, {@link SwitchFleet} to run many at once, and {@link MultiControllerSwitch} for one
 * switch with several controllers and their roles ({@link SwitchRoles}).
 */
export {
  SwitchEmulator, type SwitchEmulatorOptions, type EmulatorSession, type SwitchEmulatorEvents,
} from './switch.js';
export type { FlowEntry } from './flow-table.js';
export { serveSwitch, type Answered } from './serve.js';
export { SwitchFleet, startSwitchFleet, MAX_FLEET, type SwitchFleetOptions, type FleetMember } from './fleet.js';
export {
  MultiControllerSwitch, type MultiControllerSwitchOptions, type ControllerConnectionStatus,
} from './multi.js';
export { SwitchRoles, defaultAsyncConfig, type AsyncKind, type AsyncConfig, type RoleOutcome } from './roles.js';
