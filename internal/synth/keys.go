package synth

// Field keys, roughly in the order events write them. Builders must keep
// each object's fields together; the tests check that nested output never
// repeats a key.
var (
	kTimestamp = mk("@timestamp")

	kEventCategory = mk("event.category")
	kEventType     = mk("event.type")
	kEventAction   = mks("event.action")
	kEventOutcome  = mks("event.outcome")
	kEventCode     = mks("event.code")
	kEventReason   = mks("event.reason")
	kEventDataset  = mks("event.dataset")
	kEventModule   = mks("event.module")
	kEventDuration = mk("event.duration")
	kEventID       = mks("event.id")

	kMessage = mks("message")

	kSourceIP      = mks("source.ip")
	kSourcePort    = mk("source.port")
	kSourceBytes   = mk("source.bytes")
	kSourcePackets = mk("source.packets")
	kSourceCountry = mks("source.geo.country_iso_code")

	kDestIP      = mks("destination.ip")
	kDestPort    = mk("destination.port")
	kDestBytes   = mk("destination.bytes")
	kDestPackets = mk("destination.packets")
	kDestDomain  = mks("destination.domain")

	kNetProtocol  = mks("network.protocol")
	kNetTransport = mks("network.transport")
	kNetDirection = mks("network.direction")
	kNetBytes     = mk("network.bytes")
	kNetPackets   = mk("network.packets")

	kDNSName  = mks("dns.question.name")
	kDNSType  = mks("dns.question.type")
	kDNSRcode = mks("dns.response_code")

	kURLDomain  = mks("url.domain")
	kURLPath    = mks("url.path")
	kHTTPMethod = mks("http.request.method")
	kHTTPStatus = mk("http.response.status_code")
	kTLSVersion = mks("tls.version")
	kUserAgent  = mks("user_agent.original")

	kHostName     = mks("host.name")
	kHostIP       = mk("host.ip")
	kUserName     = mks("user.name")
	kUserDomain   = mks("user.domain")
	kUserID       = mks("user.id")
	kUserEmail    = mks("user.email")
	kProcPID      = mk("process.pid")
	kProcName     = mks("process.name")
	kProcExe      = mks("process.executable")
	kProcArgs     = mk("process.args")
	kProcArgCount = mk("process.args_count")
	kProcCmdline  = mks("process.command_line")
	kProcHash     = mks("process.hash.sha256")
	kParentPID    = mk("process.parent.pid")
	kParentName   = mks("process.parent.name")
	kParentExe    = mks("process.parent.executable")
	kFilePath     = mks("file.path")
	kFileName     = mks("file.name")
	kFileExt      = mks("file.extension")
	kFileSize     = mk("file.size")
	kFileHash     = mks("file.hash.sha256")

	kLogonType  = mks("winlog.logon.type")
	kWinEventID = mks("winlog.event_id")

	kRelatedIP   = mk("related.ip")
	kRelatedUser = mk("related.user")

	kObserverName = mks("observer.name")

	kAgentVersion = mks("agent.version")
	kAgentName    = mks("agent.name")
	kAgentID      = mks("agent.id")

	kOrgName = mks("organization.name")
)

// Constant fields.
var (
	kKindEvent  = mkc("event.kind", "event")
	kNetIPv4    = mkc("network.type", "ipv4")
	kNetIPv6    = mkc("network.type", "ipv6")
	kOSType     = [3]*key{mkc("host.os.type", osTypes[0]), mkc("host.os.type", osTypes[1]), mkc("host.os.type", osTypes[2])}
	kOSName     = [3]*key{mkc("host.os.name", osNames[0]), mkc("host.os.name", osNames[1]), mkc("host.os.name", osNames[2])}
	kSSHDName   = mkc("process.name", "sshd")
	kSSHDExe    = mkc("process.executable", "/usr/sbin/sshd")
	kSecChannel = mkc("winlog.channel", "Security")
	kSecProv    = mkc("winlog.provider_name", "Microsoft-Windows-Security-Auditing")

	kObsFirewall = mkc("observer.type", "firewall")
	kObsSensor   = mkc("observer.type", "sensor")
	kVendorPAN   = mkc("observer.vendor", "Palo Alto Networks")
	kProductPAN  = mkc("observer.product", "PAN-OS")
	kVendorZeek  = mkc("observer.vendor", "Zeek")
	kProductZeek = mkc("observer.product", "Zeek")
	kVendorOkta  = mkc("observer.vendor", "Okta")
	kProductOkta = mkc("observer.product", "Okta System Log")

	kAgentFilebeat   = mkc("agent.type", "filebeat")
	kAgentWinlogbeat = mkc("agent.type", "winlogbeat")
	kAgentEndpoint   = mkc("agent.type", "endpoint")

	kECS = mkc("ecs.version", "8.17.0")
)
