/**
 * The switch side: a sans-I/O {@link SwitchEmulator} (what a switch answers), {@link serveSwitch}
 * to put one on a connection, and {@link SwitchFleet} to run many at once.
 */
export { SwitchEmulator, type SwitchEmulatorOptions } from './switch.js';
export { serveSwitch, type Answered } from './serve.js';
export { SwitchFleet, startSwitchFleet, MAX_FLEET, type SwitchFleetOptions, type FleetMember } from './fleet.js';
