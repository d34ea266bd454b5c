/** The icons defined as masks in globals.css (`.icon-<name>`). */
export type IconName = "edit" | "pencil" | "trash" | "grip" | "dots";

/**
 * An icon repeated on every row or card: a span painted in the text colour through the mask its
 * class names, sized by `className` (`size-4` by default). Decorative: the control it sits in
 * carries the label.
 */
export function Icon({ name, className = "size-4" }: { name: IconName; className?: string }) {
  return <span aria-hidden="true" className={`icon icon-${name} ${className}`} />;
}
