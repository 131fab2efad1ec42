/** The switch emulator: sans-I/O answers to the requests a controller makes first. */
export { SwitchEmulator, type SwitchEmulatorOptions } from './switch.js';
