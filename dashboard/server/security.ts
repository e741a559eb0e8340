import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Security headers and a strict Content Security Policy: our own origin only, no inline script,
 * no external origins (a control room runs offline, and an injected script must have nowhere to
 * load from or send to). MapLibre needs `worker-src blob:` and draws images from blob:/data: URLs.
 */
export function helmetOptions(tls: boolean): FastifyHelmetOptions {
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
        // Over plain HTTP (loopback) upgrading would break every request; behind TLS it is on.
        upgradeInsecureRequests: tls ? [] : null,
      },
    },
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  };
}
