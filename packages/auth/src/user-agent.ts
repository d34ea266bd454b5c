const browsers: Array<[RegExp, string]> = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/Chrome\/(\d+)/, "Chrome"],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/, "Safari"],
];
const systems: Array<[RegExp, string]> = [
  [/iPhone|iPad/, "iOS"],
  [/Android/, "Android"],
  [/Mac OS X/, "macOS"],
  [/Windows/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/** "Firefox 128 on Linux": enough for people to recognise their own sessions. */
export function describeUserAgent(userAgent: string): string {
  if (!userAgent) return "Unknown browser";
  const browser = browsers.find(([re]) => re.test(userAgent));
  const system = systems.find(([re]) => re.test(userAgent))?.[1];
  const name = browser ? `${browser[1]} ${userAgent.match(browser[0])?.[1] ?? ""}`.trim() : userAgent.split(/[\s/]/)[0];
  return system ? `${name} on ${system}` : (name ?? "Unknown browser");
}
