"use client";

import { type ComponentType, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

// biome-ignore lint/suspicious/noExplicitAny: a cache of components whatever their props
type Loader = () => Promise<ComponentType<any>>;

const loaded = new Map<Loader, ComponentType<never>>();
const loading = new Map<Loader, Promise<ComponentType<never>>>();

function start(load: Loader): Promise<ComponentType<never>> {
  let promise = loading.get(load);
  if (!promise) {
    promise = load().then((component) => {
      loaded.set(load, component as ComponentType<never>);
      return component as ComponentType<never>;
    });
    loading.set(load, promise);
  }
  return promise;
}

/**
 * A component whose code loads after the page: once the browser is idle, or as soon as someone
 * reaches for it (pointer, focus, click), whichever comes first. Until then a look-alike stands in.
 */
export function useDeferred<P>(load: () => Promise<ComponentType<P>>): [ComponentType<P> | null, () => void] {
  const [component, setComponent] = useState<ComponentType<P> | null>(
    () => (loaded.get(load as Loader) as ComponentType<P> | undefined) ?? null,
  );
  const request = useCallback(() => {
    void start(load as Loader).then((c) => setComponent(() => c as unknown as ComponentType<P>));
  }, [load]);
  useEffect(() => {
    if (component) return;
    if ("requestIdleCallback" in window) {
      const id = window.requestIdleCallback(request, { timeout: 4000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(request, 1500);
    return () => clearTimeout(timer);
  }, [component, request]);
  return [component, request];
}

interface StandInProps {
  /** The real control has loaded: show it (`children`) instead of the stand-in. */
  ready: boolean;
  children: ReactNode;
  /** Called on the first sign of use; `open` when the stand-in was clicked. */
  onIntent: (open: boolean) => void;
  className: string;
  label: ReactNode;
  /** `aria-haspopup` of the real control ("menu", "dialog"). */
  popup: "menu" | "dialog";
}

/**
 * A plain button that looks like the real (not yet loaded) control. When the real one arrives it
 * takes the stand-in's place, and keeps the keyboard focus if the stand-in had it.
 */
export function StandIn({ ready, children, onIntent, className, label, popup }: StandInProps) {
  const box = useRef<HTMLSpanElement>(null);
  const hadFocus = useRef(false);
  useLayoutEffect(() => {
    if (ready && hadFocus.current) {
      hadFocus.current = false;
      box.current?.querySelector<HTMLElement>("button")?.focus();
    }
  }, [ready]);
  return (
    <span ref={box} className="contents">
      {ready ? (
        children
      ) : (
        <StandInButton
          className={className}
          popup={popup}
          onIntent={onIntent}
          onUnmount={(focused) => {
            hadFocus.current = focused;
          }}
        >
          {label}
        </StandInButton>
      )}
    </span>
  );
}

function StandInButton({
  className,
  popup,
  onIntent,
  onUnmount,
  children,
}: {
  className: string;
  popup: "menu" | "dialog";
  onIntent: (open: boolean) => void;
  onUnmount: (focused: boolean) => void;
  children: ReactNode;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const unmount = useRef(onUnmount);
  unmount.current = onUnmount;
  // Runs before the button leaves the page, while it can still tell whether it had the focus.
  useLayoutEffect(() => {
    const element = button.current;
    return () => unmount.current(element !== null && document.activeElement === element);
  }, []);
  return (
    <button
      ref={button}
      type="button"
      aria-haspopup={popup}
      aria-expanded={false}
      className={className}
      onPointerEnter={() => onIntent(false)}
      onFocus={() => onIntent(false)}
      // Pressed before its code arrived: the real control opens as soon as it takes over (the
      // press may end on it rather than here, so the pointer going down already counts).
      onPointerDown={() => onIntent(true)}
      onClick={() => onIntent(true)}
    >
      {children}
    </button>
  );
}
