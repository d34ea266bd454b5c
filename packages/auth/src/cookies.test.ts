import { describe, expect, it } from "vitest";
import { createSessionCookie } from "./cookies";

describe("session cookie", () => {
  it("is HttpOnly, Lax and host-wide over http, without Secure", () => {
    const cookie = createSessionCookie({ secure: false, ttlSeconds: 600 });
    expect(cookie.name).toBe("nexo_session");
    expect(cookie.serialize("abc")).toBe("nexo_session=abc; HttpOnly; Path=/; SameSite=Lax; Max-Age=600");
    expect(cookie.clear()).toBe("nexo_session=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0");
  });

  it("is Secure with the __Host- prefix over https", () => {
    const cookie = createSessionCookie({ secure: true, ttlSeconds: 600 });
    expect(cookie.name).toBe("__Host-nexo_session");
    expect(cookie.serialize("abc")).toBe(
      "__Host-nexo_session=abc; HttpOnly; Path=/; SameSite=Lax; Secure; Max-Age=600",
    );
    expect(cookie.clear()).toMatch(/^__Host-nexo_session=; .*Secure; Max-Age=0$/);
  });

  it("reads its own value among other cookies and nothing else", () => {
    const cookie = createSessionCookie({ secure: false, ttlSeconds: 600 });
    const read = (header?: string) => cookie.read(new Headers(header === undefined ? {} : { cookie: header }));
    expect(read("theme=dark; nexo_session=a.b.c ;lang=en")).toBe("a.b.c");
    expect(read("nexo_session_other=x; xnexo_session=y")).toBeNull();
    expect(read("nexo_session=")).toBeNull();
    expect(read("")).toBeNull();
    expect(read()).toBeNull();
    expect(createSessionCookie({ secure: true, ttlSeconds: 600 }).read(new Headers({ cookie: "nexo_session=a" }))).toBe(
      null,
    );
  });
});
