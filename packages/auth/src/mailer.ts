import { createTransport } from "nodemailer";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends the few emails Nexo writes (password reset). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** SMTP through nodemailer, e.g. `smtps://user:pass@mail.example.com:465`. */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = createTransport(options.url);
  return {
    async send(mail) {
      await transport.sendMail({ from: options.from, ...mail });
    },
  };
}
