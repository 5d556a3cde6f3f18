package synth

type service struct {
	proto, transport string
	port             int
}

var (
	webServices      = []service{{"tls", "tcp", 443}, {"tls", "tcp", 443}, {"tls", "tcp", 443}, {"http", "tcp", 80}, {"http", "tcp", 8080}}
	outboundServices = []service{{"tls", "tcp", 443}, {"tls", "tcp", 443}, {"quic", "udp", 443}, {"http", "tcp", 80}, {"ssh", "tcp", 22}, {"ntp", "udp", 123}, {"smtp", "tcp", 587}, {"dns", "udp", 53}}
	internalServices = []service{{"smb", "tcp", 445}, {"ldap", "tcp", 389}, {"kerberos", "udp", 88}, {"kerberos", "tcp", 88}, {"rdp", "tcp", 3389}, {"ssh", "tcp", 22}, {"tds", "tcp", 1433}, {"http", "tcp", 8080}, {"syslog", "udp", 514}}
	inboundServices  = []service{{"ssh", "tcp", 22}, {"rdp", "tcp", 3389}, {"smb", "tcp", 445}, {"tls", "tcp", 443}, {"http", "tcp", 80}, {"telnet", "tcp", 23}}
	dnsTypes         = []string{"A", "A", "A", "AAAA", "AAAA", "HTTPS", "TXT", "MX", "PTR"}
	tlsVersions      = []string{"1.3", "1.3", "1.3", "1.2"}
)

// flow is one connection as the network sensors report it.
type flow struct {
	ws                 *host
	src, dst           string // IPs
	srcCountry, domain string
	srcPort            int
	svc                service
	direction          string
	v6, denied         bool
	srcBytes, dstBytes int
	srcPkts, dstPkts   int
}

// network writes a firewall, DNS or web-proxy record (about 35/35/30).
func (g *Generator) network() {
	r, wd, w := &g.r, g.world, &g.w
	ws := &wd.workstation[r.n(len(wd.workstation))]
	f := flow{ws: ws, src: ws.ip, srcPort: g.ephemeralPort(ws.os), direction: "outbound"}
	f.v6 = r.pct(8)
	if f.v6 {
		f.src = ws.ip6
	}
	sensor := r.n(100)
	switch {
	case sensor < 35:
		g.dnsFlow(&f)
	case sensor < 65:
		g.webFlow(&f)
	default:
		g.firewallFlow(&f)
	}
	f.srcPkts = 1 + f.srcBytes/900 + r.n(4)
	if f.dstBytes > 0 {
		f.dstPkts = 1 + f.dstBytes/1200 + r.n(3)
	}
	if f.denied {
		f.dstBytes, f.dstPkts = 0, 0
	}

	w.str(kSourceIP, f.src)
	w.int(kSourcePort, f.srcPort)
	w.int(kSourceBytes, f.srcBytes)
	w.int(kSourcePackets, f.srcPkts)
	if f.srcCountry != "" {
		w.str(kSourceCountry, f.srcCountry)
	}
	w.str(kDestIP, f.dst)
	w.int(kDestPort, f.svc.port)
	w.int(kDestBytes, f.dstBytes)
	w.int(kDestPackets, f.dstPkts)
	if f.domain != "" {
		w.str(kDestDomain, f.domain)
	}
	w.str(kNetProtocol, f.svc.proto)
	w.str(kNetTransport, f.svc.transport)
	if f.v6 {
		w.put(kNetIPv6)
	} else {
		w.put(kNetIPv4)
	}
	w.str(kNetDirection, f.direction)
	w.int(kNetBytes, f.srcBytes+f.dstBytes)
	w.int(kNetPackets, f.srcPkts+f.dstPkts)
	g.protocolDetail(&f, sensor)

	w.key(kRelatedIP)
	w.s(`["`)
	w.s(f.src)
	w.s(`","`)
	w.s(f.dst)
	w.s(`"]`)
	if sensor >= 65 {
		w.str(kObserverName, wd.firewalls[r.n(len(wd.firewalls))])
		w.put(kObsFirewall)
		w.put(kVendorPAN)
		w.put(kProductPAN)
	} else {
		w.str(kObserverName, wd.sensor.name)
		w.put(kObsSensor)
		w.put(kVendorZeek)
		w.put(kProductZeek)
	}
	g.agent(kAgentFilebeat, &wd.sensor)
}

func (g *Generator) ephemeralPort(o osKind) int {
	if o == osLinux {
		return g.r.between(32768, 61000)
	}
	return g.r.between(49152, 65536)
}

// dnsFlow also writes the event header, as every flow kind does: the header
// comes first in the event but depends on what the flow turned out to be.
func (g *Generator) dnsFlow(f *flow) {
	r, wd, w := &g.r, g.world, &g.w
	srv := &wd.servers[wd.dnsSrv[r.n(len(wd.dnsSrv))]]
	f.dst, f.direction = srv.ip, "internal"
	if f.v6 {
		f.dst = srv.ip6
	}
	f.svc = service{"dns", "udp", 53}
	if r.pct(4) {
		f.svc.transport = "tcp"
	}
	rcode := "NOERROR"
	if r.pct(12) {
		f.domain = wd.shady[r.n(len(wd.shady))].domain
		if r.pct(50) {
			rcode = "NXDOMAIN"
		}
	} else {
		f.domain = wd.sites[r.n(len(wd.sites))].domain
		if r.pct(2) {
			rcode = "SERVFAIL"
		}
	}
	qtype := dnsTypes[r.n(len(dnsTypes))]
	f.srcBytes, f.dstBytes = 40+len(f.domain)+r.n(20), 0
	if rcode == "NOERROR" {
		f.dstBytes = 60 + r.n(400)
	}
	g.header(`["network"]`, `["protocol","info"]`, "dns_query", outcome(rcode == "NOERROR"), "zeek.dns", "zeek", 200_000+r.n(40_000_000))
	w.open(kMessage)
	w.s("DNS ")
	w.s(qtype)
	w.s(" query for ")
	w.s(f.domain)
	w.s(" from ")
	w.s(f.src)
	w.s(" → ")
	w.s(rcode)
	w.close()
	g.dns = dnsDetail{qtype: qtype, rcode: rcode}
}

func (g *Generator) webFlow(f *flow) {
	r, wd, w := &g.r, g.world, &g.w
	s := &wd.sites[r.n(len(wd.sites))]
	if r.pct(6) {
		s = &wd.shady[r.n(len(wd.shady))]
	}
	f.svc = webServices[r.n(len(webServices))]
	f.dst, f.domain = s.ip, s.domain
	if f.v6 {
		if s.ip6 != "" {
			f.dst = s.ip6
		} else {
			f.v6, f.src = false, f.ws.ip // a v4-only site: the client falls back
		}
	}
	f.srcBytes, f.dstBytes = 300+r.n(3000), 500+r.n(250_000)
	if f.svc.proto == "tls" {
		ver := tlsVersions[r.n(len(tlsVersions))]
		g.header(`["network"]`, `["connection","protocol"]`, "tls_handshake", "success", "zeek.ssl", "zeek", 1_000_000+r.n(900_000_000))
		w.open(kMessage)
		w.s("TLS ")
		w.s(ver)
		w.s(" session to ")
		w.s(f.domain)
		w.s(" (")
		w.s(f.dst)
		w.s(")")
		w.close()
		g.web = webDetail{tls: ver}
		return
	}
	method, status := httpMethods[r.n(len(httpMethods))], httpStatuses[r.n(len(httpStatuses))]
	p, ua := urlPaths[r.n(len(urlPaths))], wd.agents[r.n(len(wd.agents))]
	g.header(`["network","web"]`, `["connection","protocol"]`, "http_request", outcome(status < 400), "zeek.http", "zeek", 1_000_000+r.n(300_000_000))
	w.open(kMessage)
	w.s(method)
	w.s(" http://")
	w.s(f.domain)
	w.s(p)
	w.s(" → ")
	w.d(status)
	w.s(` \"`)
	w.s(ua)
	w.s(`\"`)
	w.close()
	g.web = webDetail{method: method, path: p, ua: ua, status: status}
}

func (g *Generator) firewallFlow(f *flow) {
	r, wd, w := &g.r, g.world, &g.w
	// The perimeter firewall in this world only logs IPv4.
	f.v6, f.src = false, f.ws.ip
	switch k := r.n(100); {
	case k < 55: // outbound
		s := &wd.sites[r.n(len(wd.sites))]
		f.svc = outboundServices[r.n(len(outboundServices))]
		f.dst, f.domain = s.ip, s.domain
		f.denied = r.pct(4)
		f.srcBytes, f.dstBytes = 200+r.n(20_000), 300+r.n(2_000_000)
	case k < 80: // east-west
		srv := &wd.servers[r.n(len(wd.servers))]
		f.svc = internalServices[r.n(len(internalServices))]
		f.dst, f.direction = srv.ip, "internal"
		f.denied = r.pct(3)
		f.srcBytes, f.dstBytes = 200+r.n(50_000), 200+r.n(5_000_000)
	default: // internet noise against the perimeter
		a := &wd.attackers[r.n(len(wd.attackers))]
		srv := &wd.servers[wd.linuxSrv[r.n(len(wd.linuxSrv))]]
		f.svc = inboundServices[r.n(len(inboundServices))]
		f.src, f.srcCountry, f.srcPort = a.ip, a.country, r.between(1024, 65536)
		f.dst, f.direction, f.domain = srv.ip, "inbound", ""
		f.denied = f.svc.proto != "tls" || r.pct(20)
		f.srcBytes, f.dstBytes = 60+r.n(600), r.n(4000)
	}
	action, types := "flow_terminated", `["connection","end","allowed"]`
	if f.denied {
		action, types = "flow_denied", `["connection","denied"]`
	}
	g.header(`["network"]`, types, action, outcome(!f.denied), "panw.panos", "panw", r.n(120_000_000_000))
	w.open(kMessage)
	if f.denied {
		w.s("TRAFFIC deny ")
	} else {
		w.s("TRAFFIC end allow ")
	}
	w.s(f.svc.transport)
	w.s(" ")
	w.s(f.src)
	w.s(":")
	w.d(f.srcPort)
	w.s(" -> ")
	w.s(f.dst)
	w.s(":")
	w.d(f.svc.port)
	w.s(" app=")
	w.s(f.svc.proto)
	w.s(` rule=\"`)
	if f.denied {
		w.s("default-deny")
	} else {
		w.s("allow-")
		w.s(f.direction)
	}
	w.s(`\"`)
	w.close()
}

type dnsDetail struct{ qtype, rcode string }

type webDetail struct {
	tls, method, path, ua string
	status                int
}

// protocolDetail writes the dns/url/http/tls/user_agent objects of the flow
// just generated, in that order.
func (g *Generator) protocolDetail(f *flow, sensor int) {
	w := &g.w
	switch {
	case sensor < 35:
		w.str(kDNSName, f.domain)
		w.str(kDNSType, g.dns.qtype)
		w.str(kDNSRcode, g.dns.rcode)
	case sensor < 65 && g.web.tls != "":
		w.str(kTLSVersion, g.web.tls)
	case sensor < 65:
		w.str(kURLDomain, f.domain)
		w.str(kURLPath, g.web.path)
		w.str(kHTTPMethod, g.web.method)
		w.int(kHTTPStatus, g.web.status)
		w.str(kUserAgent, g.web.ua)
	}
	g.web = webDetail{}
}

// header writes the event object. Durations are nanoseconds, as ECS says.
// An empty outcome is left out: endpoint agents do not report one for
// process and file events.
func (g *Generator) header(category, types, action, outcome, dataset, module string, durationNs int) {
	w := &g.w
	w.put(kKindEvent)
	w.raw(kEventCategory, category)
	w.raw(kEventType, types)
	w.str(kEventAction, action)
	if outcome != "" {
		w.str(kEventOutcome, outcome)
	}
	w.str(kEventDataset, dataset)
	w.str(kEventModule, module)
	if durationNs > 0 {
		w.int(kEventDuration, durationNs)
	}
	g.eventID()
}

func outcome(ok bool) string {
	if ok {
		return "success"
	}
	return "failure"
}
