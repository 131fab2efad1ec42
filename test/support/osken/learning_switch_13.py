# A learning switch for os-ken, OpenFlow 1.3, written for the end-to-end tests: a table-miss flow
# sends every unknown frame to the controller; each PACKET_IN teaches the source MAC's port; a frame
# to a known MAC gets a flow (in_port, eth_src, eth_dst -> output) and is sent out of that port,
# anything else is flooded. Every step is logged on one line starting with "LS " so the test can
# follow it.
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


class LearningSwitch13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}

    def say(self, text):
        print('LS ' + text, flush=True)

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self.add_flow(dp, 0, parser.OFPMatch(), actions)
        self.say('features dpid=%016x table-miss installed' % dp.id)

    @set_ev_cls(ofp_event.EventOFPStateChange, MAIN_DISPATCHER)
    def main_state(self, ev):
        self.say('main dpid=%016x' % ev.datapath.id)

    def add_flow(self, dp, priority, match, actions):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=priority, match=match, instructions=inst))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        table = self.mac_to_port.setdefault(dp.id, {})
        table[eth.src] = in_port
        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        self.say('packet-in dpid=%016x in_port=%d src=%s dst=%s reason=%d out=%s'
                 % (dp.id, in_port, eth.src, eth.dst, msg.reason, 'flood' if out_port == ofp.OFPP_FLOOD else out_port))
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=eth.dst, eth_src=eth.src)
            self.add_flow(dp, 1, match, actions)
            self.say('flow-add dpid=%016x in_port=%d src=%s dst=%s out=%d' % (dp.id, in_port, eth.src, eth.dst, out_port))
        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=msg.buffer_id, in_port=in_port, actions=actions, data=data))

    @set_ev_cls(ofp_event.EventOFPErrorMsg, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def error(self, ev):
        self.say('error type=%d code=%d' % (ev.msg.type, ev.msg.code))
