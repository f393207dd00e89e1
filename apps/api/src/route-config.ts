// Per-route settings read by the app-wide hooks and the error handler (declared on fastify's route `config`).
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without an API key even when keys are configured (the health check). */
    public?: boolean;
    /** A page a person opens in a browser: its 401 asks for the key with a Basic challenge (see requireApiKey). */
    browserPage?: boolean;
    /** The `error` text of a 400 whose input failed this route's schema, e.g. "invalid order". */
    invalidInputError?: string;
  }
}

export {};
