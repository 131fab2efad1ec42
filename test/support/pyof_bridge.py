"""python3-openflow (pyof) as a decoder/encoder for the tests: reads JSON requests on stdin, one
per line of a list, and prints a JSON list of answers. Used by test/support/pyof.ts.

  {"op": "unpack", "hex": "..."}  -> {"ok": true, "value": <the message as plain JSON>} or {"ok": false, "error": "..."}
  {"op": "pack", "ns": "v0x04", "expr": "FlowMod(...)"} -> {"ok": true, "hex": "..."}; expr is evaluated
      with every public name of that version's common, controller2switch, asynchronous and symmetric
      modules in scope (as `from pyof.v0x04.common.flow_match import *` would give).
"""
import binascii
import enum
import importlib
import json
import pkgutil
import sys

from pyof.foundation.base import GenericStruct, GenericType
from pyof.utils import unpack


def load(version):
    """Every public name of the version's message modules, later modules winning."""
    env = {}
    for pkg in ('common', 'controller2switch', 'asynchronous', 'symmetric'):
        base = importlib.import_module(f'pyof.{version}.{pkg}')
        for info in pkgutil.iter_modules(base.__path__):
            mod = importlib.import_module(f'pyof.{version}.{pkg}.{info.name}')
            env.update({k: v for k, v in vars(mod).items() if not k.startswith('_')})
    return env


def plain(x):
    if isinstance(x, (list, tuple)):
        return [plain(i) for i in x]
    if isinstance(x, GenericStruct):
        return {a[0]: plain(a[1]) for a in x._get_named_attributes()}
    if isinstance(x, GenericType):
        return plain(x.value)
    if isinstance(x, enum.Enum):
        return plain(x.value)
    if isinstance(x, (bytes, bytearray)):
        return binascii.hexlify(bytes(x)).decode()
    if isinstance(x, (int, str, float)) or x is None:
        return x
    try:
        return [plain(i) for i in x]
    except TypeError:
        return str(x)


def main():
    envs = {}
    out = []
    for req in json.load(sys.stdin):
        try:
            if req['op'] == 'unpack':
                msg = unpack(binascii.unhexlify(req['hex']))
                out.append({'ok': True, 'value': plain(msg)})
            else:
                if req['ns'] not in envs:
                    envs[req['ns']] = load(req['ns'])
                msg = eval(req['expr'], dict(envs[req['ns']]))  # the tests' own expressions
                out.append({'ok': True, 'hex': binascii.hexlify(msg.pack()).decode()})
        except Exception as e:  # reported per request: one bad message must not hide the others
            out.append({'ok': False, 'error': f'{type(e).__name__}: {e}'})
    json.dump(out, sys.stdout)


main()
