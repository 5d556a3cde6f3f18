package synth

var (
	sshKeyTypes  = []string{"ED25519", "RSA", "ECDSA"}
	oktaFailures = []string{"INVALID_CREDENTIALS", "VERIFICATION_ERROR", "LOCKED_OUT", "MFA_ENROLL_REQUIRED"}
	b64          = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	logonTypes   = []struct{ name, code string }{
		{"Network", "3"}, {"Network", "3"}, {"Network", "3"}, {"Interactive", "2"}, {"RemoteInteractive", "10"}, {"Unlock", "7"},
	}
)

// auth writes a Windows logon (50%), an sshd login (30%) or an SSO sign-in (20%).
func (g *Generator) auth() {
	switch k := g.r.n(10); {
	case k < 5:
		g.windowsLogon()
	case k < 8:
		g.sshLogin()
	default:
		g.ssoLogin()
	}
}

func (g *Generator) windowsLogon() {
	r, wd, w := &g.r, g.world, &g.w
	ws := &wd.workstation[r.n(len(wd.workstation))]
	for ws.os != osWindows {
		ws = &wd.workstation[r.n(len(wd.workstation))]
	}
	u := &wd.users[ws.owner]
	lt := logonTypes[r.n(len(logonTypes))]
	target, src, port := ws, ws.ip, 0
	switch lt.name {
	case "Network", "RemoteInteractive":
		target, port = &wd.servers[wd.winSrv[r.n(len(wd.winSrv))]], r.between(49152, 65536)
	default:
		src = "127.0.0.1"
	}
	if r.pct(3) {
		u = &wd.users[r.n(len(serviceAccounts))]
	}
	ok := !r.pct(9)
	code, action := "4624", "logged-in"
	if !ok {
		code, action = "4625", "logon-failed"
	}
	g.header(`["authentication"]`, `["start"]`, action, outcome(ok), "system.security", "system", 0)
	w.str(kEventCode, code)
	if !ok {
		w.str(kEventReason, "Unknown user name or bad password.")
	}
	w.open(kMessage)
	if ok {
		w.s(`An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n\tAccount Name:\t\t`)
	} else {
		w.s(`An account failed to log on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n\tAccount Name:\t\t`)
	}
	w.s(target.name)
	w.s(`$\r\n\tAccount Domain:\t\t`)
	w.s(wd.netbios)
	w.s(`\r\n\r\nLogon Type:\t\t\t`)
	w.s(lt.code)
	if ok {
		w.s(`\r\n\r\nNew Logon:\r\n\tSecurity ID:\t\t`)
		w.s(u.sid)
	} else {
		w.s(`\r\n\r\nAccount For Which Logon Failed:\r\n\tSecurity ID:\t\tS-1-0-0`)
	}
	w.s(`\r\n\tAccount Name:\t\t`)
	w.s(u.name)
	w.s(`\r\n\tAccount Domain:\t\t`)
	w.s(wd.netbios)
	if !ok {
		w.s(`\r\n\r\nFailure Information:\r\n\tFailure Reason:\t\tUnknown user name or bad password.\r\n\tStatus:\t\t\t0xC000006D`)
	}
	w.s(`\r\n\r\nNetwork Information:\r\n\tWorkstation Name:\t`)
	w.s(ws.name)
	w.s(`\r\n\tSource Network Address:\t`)
	w.s(src)
	w.s(`\r\n\tSource Port:\t\t`)
	w.d(port)
	w.close()

	w.str(kSourceIP, src)
	w.int(kSourcePort, port)
	w.str(kHostName, target.name)
	w.put(kOSType[osWindows])
	w.str(kUserName, u.name)
	w.str(kUserDomain, wd.netbios)
	w.str(kUserID, u.sid)
	w.str(kLogonType, lt.name)
	w.put(kSecChannel)
	w.put(kSecProv)
	w.str(kWinEventID, code)
	g.relatedUser(u.name)
	g.agent(kAgentWinlogbeat, target)
}

func (g *Generator) sshLogin() {
	r, wd, w := &g.r, g.world, &g.w
	srv := &wd.servers[wd.linuxSrv[r.n(len(wd.linuxSrv))]]
	var src, country, name string
	invalid, ok := false, true
	if r.pct(40) { // internet brute force
		a := &wd.attackers[r.n(len(wd.attackers))]
		src, country, ok = a.ip, a.country, r.pct(1)
		if invalid = r.pct(70); invalid {
			name = invalidUsers[r.n(len(invalidUsers))]
		} else {
			name = wd.users[r.n(len(wd.users))].name
		}
	} else {
		ws := &wd.workstation[r.n(len(wd.workstation))]
		src, name, ok = ws.ip, wd.users[ws.owner].name, !r.pct(5)
	}
	port := r.between(1024, 65536)
	g.header(`["authentication","session"]`, `["start"]`, "ssh_login", outcome(ok), "system.auth", "system", 0)
	w.open(kMessage)
	switch {
	case ok:
		w.s("Accepted publickey for ")
	case invalid:
		w.s("Failed password for invalid user ")
	default:
		w.s("Failed password for ")
	}
	w.s(name)
	w.s(" from ")
	w.s(src)
	w.s(" port ")
	w.d(port)
	w.s(" ssh2")
	if ok {
		w.s(": ")
		w.s(sshKeyTypes[r.n(len(sshKeyTypes))])
		w.s(" SHA256:")
		for range 43 {
			w.b = append(w.b, b64[r.n(64)])
		}
	}
	w.close()

	w.str(kSourceIP, src)
	w.int(kSourcePort, port)
	if country != "" {
		w.str(kSourceCountry, country)
	}
	w.str(kHostName, srv.name)
	w.put(kOSType[osLinux])
	w.str(kUserName, name)
	w.int(kProcPID, r.between(1000, 400_000))
	w.put(kSSHDName)
	w.put(kSSHDExe)
	g.relatedUser(name)
	g.agent(kAgentFilebeat, srv)
}

func (g *Generator) ssoLogin() {
	r, wd, w := &g.r, g.world, &g.w
	u := &wd.users[len(serviceAccounts)+r.n(len(wd.users)-len(serviceAccounts))]
	v := &wd.visitors[r.n(len(wd.visitors))]
	src, country := v.ip, v.country
	if r.pct(5) { // credential stuffing from elsewhere
		a := &wd.attackers[r.n(len(wd.attackers))]
		src, country = a.ip, a.country
	}
	ok := !r.pct(8)
	mfa := r.pct(30)
	action, msg := "user.session.start", "User login to Okta"
	if mfa {
		action, msg = "user.authentication.auth_via_mfa", "Authentication of user via MFA"
	}
	g.header(`["authentication","session"]`, `["start"]`, action, outcome(ok), "okta.system", "okta", 0)
	if !ok {
		w.str(kEventReason, oktaFailures[r.n(len(oktaFailures))])
	}
	w.str(kMessage, msg)
	w.str(kSourceIP, src)
	w.str(kSourceCountry, country)
	w.str(kUserAgent, wd.agents[r.n(3)])
	w.str(kUserName, u.email)
	w.str(kUserDomain, wd.dns)
	w.str(kUserEmail, u.email)
	g.relatedUser(u.email)
	w.put(kVendorOkta)
	w.put(kProductOkta)
	g.agent(kAgentFilebeat, &wd.sensor)
}

func (g *Generator) relatedUser(name string) {
	g.w.key(kRelatedUser)
	g.w.s(`["`)
	g.w.s(name)
	g.w.s(`"]`)
}

func (g *Generator) agent(typ *key, h *host) {
	w := &g.w
	w.put(typ)
	w.str(kAgentVersion, g.world.agentVer)
	w.str(kAgentName, h.name)
	w.str(kAgentID, h.agentID)
}
