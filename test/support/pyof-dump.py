"""Reads hex OpenFlow messages (one per line) and prints, per line, a JSON object: what
python3-openflow (pyof) unpacked from them, as a tree of its own attribute names, and the bytes
pyof packs again from that object. Integers past 2**53 are strings, so JSON keeps them exact."""
import json
import sys

from pyof.foundation.base import GenericStruct, GenericType
from pyof.foundation.basic_types import FixedTypeList
from pyof.v0x01.common.utils import unpack_message as unpack10
from pyof.v0x04.common.utils import unpack_message as unpack13


def dump(o):
    if isinstance(o, GenericStruct):
        return {k: dump(v) for k, v in o._get_instance_attributes() if not k.startswith('pad')}
    if isinstance(o, (list, FixedTypeList)):
        return [dump(x) for x in o]
    if isinstance(o, GenericType):
        o = o.value
        if hasattr(o, 'value') and not isinstance(o, GenericStruct):
            o = o.value
        return dump(o)
    if isinstance(o, (bytes, bytearray)):
        return {'hex': bytes(o).hex()}
    if isinstance(o, bool) or o is None or isinstance(o, str):
        return o
    if isinstance(o, int):
        return o if abs(o) < 2 ** 53 else str(o)
    return str(o)


for line in sys.stdin:
    wire = bytes.fromhex(line.strip())
    try:
        msg = (unpack10 if wire[0] == 1 else unpack13)(wire)
        out = {'ok': True, 'msg': dump(msg)}
        try:
            out['packed'] = msg.pack().hex()
        except Exception as e:  # pylint: disable=broad-except
            out['packError'] = repr(e)
    except Exception as e:  # pylint: disable=broad-except
        out = {'ok': False, 'error': repr(e)}
    print(json.dumps(out), flush=True)
