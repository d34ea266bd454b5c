import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";

const controlClass =
  "block w-full rounded-lg border bg-white px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 disabled:bg-slate-50";

interface FieldFrameProps {
  id: string;
  label: string;
  error: string | undefined;
  hint?: string | undefined;
  optional?: boolean | undefined;
  children: ReactNode;
}

function FieldFrame({ id, label, error, hint, optional, children }: FieldFrameProps) {
  return (
    <div>
      <label htmlFor={id} className="mb-1.5 flex items-baseline justify-between text-sm font-medium text-slate-700">
        {label}
        {optional ? <span className="text-xs font-normal text-slate-500">Optional</span> : null}
      </label>
      {children}
      {/* Always rendered with a line's height, so a message appearing does not push the form down. */}
      <p id={`${id}-message`} className={`mt-1 min-h-5 text-xs leading-5 ${error ? "text-red-600" : "text-slate-500"}`}>
        {error ?? hint}
      </p>
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string | undefined;
  optional?: boolean;
}

export function TextField({ label, error, hint, optional, className = "", ...props }: TextFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional}>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-message` : undefined}
        className={`${controlClass} h-10 ${error ? "border-red-400" : "border-slate-300"} ${className}`}
        {...props}
      />
    </FieldFrame>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> {
  label: string;
  name: string;
  error?: string | undefined;
  optional?: boolean;
}

export function TextAreaField({ label, error, optional, className = "", ...props }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} error={error} optional={optional}>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-message` : undefined}
        className={`${controlClass} py-2 ${error ? "border-red-400" : "border-slate-300"} ${className}`}
        {...props}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string | undefined;
  optional?: boolean;
}

export function SelectField({ label, error, hint, optional, className = "", children, ...props }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional}>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-message` : undefined}
        className={`${controlClass} h-10 ${error ? "border-red-400" : "border-slate-300"} ${className}`}
        {...props}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export function FormAlert({ message }: { message: string | null }) {
  // The live region stays mounted so screen readers announce a message when it appears.
  return (
    <div role="alert" aria-live="assertive" className={message ? "" : "sr-only"}>
      {message ? (
        <p className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{message}</p>
      ) : null}
    </div>
  );
}
