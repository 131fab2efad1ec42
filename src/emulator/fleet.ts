import { functionOption, invalidOption, numberOption } from '../validate.js';
import { formatDatapathId } from '../ofp/index.js';
import { Rconn, type RconnOptions } from '../rconn/index.js';
import { serveSwitch } from './serve.js';
import { SwitchEmulator, type SwitchEmulatorOptions } from './switch.js';

export interface SwitchFleetOptions {
  /** Emulated switches. */
  count: number;
  /** Datapath id of the first switch; switch i gets `firstDatapathId + i`. @default 1n */
  firstDatapathId?: bigint;
  /** Options of every switch's Rconn (backoff, jitter, probing, versions...). */
  rconnOptions?: RconnOptions;
  /** Options of every emulator (ports, tables...); the datapath id is the fleet's. */
  emulatorOptions?: Omit<SwitchEmulatorOptions, 'datapathId'>;
  /**
   * Called for each switch before it connects, e.g. to attach listeners; by default each rconn
   * answers with its emulator through {@link serveSwitch}. Return false to wire it up yourself.
   */
  setup?: (member: FleetMember) => boolean | void;
}

export interface FleetMember {
  readonly datapathId: bigint;
  readonly emulator: SwitchEmulator;
  readonly rconn: Rconn;
}

/** Upper bound on a fleet: one process, one socket per switch. */
export const MAX_FLEET = 100_000;
const OWNER = 'SwitchFleet';

/**
 * N emulated switches with distinct datapath ids, each on its own reliable Rconn to `target`
 * (reconnecting with the rconn's backoff and jitter): load and reconnect-storm tests in one process.
 */
export class SwitchFleet {
  readonly members: readonly FleetMember[];

  private constructor(members: FleetMember[]) {
    this.members = members;
  }

  static start(target: string, options: SwitchFleetOptions): SwitchFleet {
    if (options === null || typeof options !== 'object') invalidOption(OWNER, 'options', options, 'an object with count');
    if (options.count === undefined) invalidOption(OWNER, 'count', undefined, `an integer from 1 to ${MAX_FLEET}`);
    const count = numberOption(OWNER, 'count', options.count, 0, { min: 1, max: MAX_FLEET, integer: true });
    const first = options.firstDatapathId ?? 1n;
    if (typeof first !== 'bigint' || first < 0n || first + BigInt(count - 1) > 0xffff_ffff_ffff_ffffn) {
      invalidOption(OWNER, 'firstDatapathId', first, `a bigint >= 0 whose ${count} consecutive ids fit in 64 bits`);
    }
    const setup = functionOption<NonNullable<SwitchFleetOptions['setup']>>(OWNER, 'setup', options.setup);
    const members: FleetMember[] = [];
    for (let i = 0; i < count; i++) {
      const datapathId = first + BigInt(i);
      const emulator = new SwitchEmulator({ ...options.emulatorOptions, datapathId });
      const rconn = new Rconn({ ...options.rconnOptions, name: `${options.rconnOptions?.name ?? 'switch'} ${formatDatapathId(datapathId)}` });
      const member = { datapathId, emulator, rconn };
      if (setup?.(member) !== false) serveSwitch(rconn, emulator);
      members.push(member);
    }
    for (const m of members) m.rconn.connect(target);
    return new SwitchFleet(members);
  }

  /** Switches connected right now. */
  connectedCount(): number {
    let n = 0;
    for (const m of this.members) if (m.rconn.isConnected()) n++;
    return n;
  }

  /** Closes every switch's rconn. */
  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.rconn.close()));
  }
}

/** Shorthand for {@link SwitchFleet.start}. */
export function startSwitchFleet(target: string, options: SwitchFleetOptions): SwitchFleet {
  return SwitchFleet.start(target, options);
}
