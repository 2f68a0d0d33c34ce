package io.flagstore.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling and whether the request may proceed: security headers on every response; the
 * identity from an API token, the trusted proxy's headers or the session cookie; CSRF tokens on
 * every state-changing request made with a cookie; and the login, OIDC and logout routes.
 */
final class Security {
    static final String SESSION_COOKIE = "flagstore_session";
    static final String LOGIN_COOKIE = "flagstore_login";
    static final String OIDC_COOKIE = "flagstore_oidc";

    /** No inline script or style anywhere; everything from this origin. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final System.Logger LOG = System.getLogger(Security.class.getName());

    private final ConsoleConfig config;
    private final Web web;
    private final Sessions sessions;
    private final Map<String, CredentialFile.Entry> users;
    private final ApiTokens tokens;
    private final LoginLimiter limiter;
    private final OidcLogin oidc;

    Security(ConsoleConfig config, Web web, Clock clock) {
        this.config = config;
        this.web = web;
        this.sessions = new Sessions(clock, config.sessionIdle, config.sessionMax);
        this.users = config.usersFile == null ? Map.of() : CredentialFile.read(config.usersFile);
        this.tokens =
                config.tokensFile == null ? ApiTokens.none() : new ApiTokens(CredentialFile.read(config.tokensFile));
        this.limiter = new LoginLimiter(clock);
        this.oidc = config.oidcIssuer == null ? null : new OidcLogin(config, clock);
    }

    Sessions sessions() {
        return sessions;
    }

    void routes(RoutesConfig routes) {
        routes.before(this::guard);
        routes.get("/login", this::loginPage);
        routes.post("/login", this::login);
        routes.post("/logout", this::logout);
        routes.get("/oidc/login", this::oidcStart);
        routes.get("/oidc/callback", this::oidcCallback);
    }

    private static boolean open(String path) {
        return path.startsWith("/static/")
                || path.equals("/login")
                || path.startsWith("/oidc/")
                || path.equals("/healthz")
                || path.equals("/api/v1/openapi.json");
    }

    /** Runs before every request. */
    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        String path = ctx.path();
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        session.ifPresent(s -> {
            ctx.attribute(Web.SESSION, s);
            ctx.attribute(Web.IDENTITY, s.identity);
        });
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Identity who = tokens.authenticate(authorization.substring(7).strip())
                    .orElseThrow(
                            () -> new ApiError(ApiError.Code.UNAUTHENTICATED, "unknown API token", "check the token"));
            ctx.attribute(Web.IDENTITY, who);
            ctx.attribute(Web.SESSION, null);
            return; // a bearer token is never sent by a browser on its own: no CSRF check
        }
        if (config.proxyUserHeader != null && ctx.header(config.proxyUserHeader) != null) {
            proxyIdentity(ctx, session.orElse(null));
        }
        if (open(path)) {
            return;
        }
        if (ctx.attribute(Web.IDENTITY) == null) {
            if (path.startsWith("/api/")
                    || ctx.header("Accept") != null && ctx.header("Accept").contains("text/event-stream")) {
                throw new ApiError(
                        ApiError.Code.UNAUTHENTICATED, "not signed in or the session expired", "sign in again");
            }
            ctx.redirect("/login?next="
                    + io.flagstore.console.view.Urls.enc(
                            ctx.fullUrl().substring(ctx.fullUrl().indexOf(path))));
            ctx.skipRemainingHandlers();
            return;
        }
        if (!SAFE_METHODS.contains(ctx.method().name())) {
            requireCsrf(ctx);
        }
    }

    private void proxyIdentity(Context ctx, Sessions.Session session) {
        String remote = ctx.req().getRemoteAddr();
        if (!config.trustedProxies.contains(remote)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "ignoring {0} from untrusted address {1}",
                    config.proxyUserHeader,
                    remote);
            return;
        }
        String name = ctx.header(config.proxyUserHeader).strip();
        String roles = ctx.header(config.proxyRolesHeader);
        Identity who = new Identity(name, Grants.parse(roles == null ? "" : roles), "proxy");
        if (session == null || !session.identity.equals(who)) {
            // a session of its own, so that forms carry a CSRF token like any other browser's
            Sessions.Session fresh = sessions.create(who);
            setSessionCookie(ctx, fresh);
            session = fresh;
        }
        ctx.attribute(Web.SESSION, session);
        ctx.attribute(Web.IDENTITY, who);
    }

    private static void requireCsrf(Context ctx) {
        Sessions.Session session = ctx.attribute(Web.SESSION);
        String sent = ctx.header("X-CSRF-Token");
        if (sent == null
                && ctx.contentType() != null
                && ctx.contentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            sent = ctx.formParam("csrf");
        }
        if (session == null
                || sent == null
                || !java.security.MessageDigest.isEqual(
                        sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        session.csrfToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new ApiError(
                    ApiError.Code.DENIED,
                    "missing or wrong CSRF token: nothing was changed",
                    "reload the page and try again");
        }
    }

    private void loginPage(Context ctx) {
        loginPage(ctx, null, 200);
    }

    private void loginPage(Context ctx, String error, int status) {
        // one token per browser rather than per page load: a second load of the page (a reload, a
        // prefetch) must not invalidate the form already on screen
        String token = ctx.cookie(LOGIN_COOKIE);
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            token = Sessions.randomToken();
        }
        ctx.res()
                .addHeader(
                        "Set-Cookie", LOGIN_COOKIE + "=" + token + "; Path=/login; HttpOnly; Secure; SameSite=Strict");
        ctx.status(status);
        ctx.attribute(
                Web.SESSION,
                new Sessions.Session("", new Identity("-", Grants.none(), "login"), token, java.time.Instant.EPOCH));
        web.page(
                ctx,
                "login.jte",
                Map.of(
                        "chrome",
                        web.chrome(ctx, "Sign in", null, null),
                        "passwords",
                        !users.isEmpty(),
                        "oidc",
                        oidc != null,
                        "error",
                        error == null ? "" : error,
                        "next",
                        safeNext(ctx.queryParam("next"))));
    }

    private void login(Context ctx) {
        String cookie = ctx.cookie(LOGIN_COOKIE);
        String sent = ctx.formParam("csrf");
        if (cookie == null || !cookie.equals(sent)) {
            loginPage(ctx, "The sign-in form expired; please try again.", 403);
            return;
        }
        String user = String.valueOf(ctx.formParam("username")).strip();
        char[] password = String.valueOf(ctx.formParam("password")).toCharArray();
        String address = ctx.req().getRemoteAddr();
        try {
            if (!limiter.allowed(user, address)) {
                loginPage(ctx, "Too many failed sign-ins; wait a few minutes.", 429);
                return;
            }
            CredentialFile.Entry entry = users.get(user);
            boolean ok;
            if (entry == null) {
                PasswordHash.verifyNothing(password);
                ok = false;
            } else {
                ok = PasswordHash.verify(password, entry.secret());
            }
            if (!ok) {
                limiter.failed(user, address);
                LOG.log(System.Logger.Level.INFO, "failed sign-in for a user from {0}", address);
                loginPage(ctx, "Wrong user or password.", 401);
                return;
            }
            limiter.succeeded(user);
            startSession(ctx, new Identity(user, entry.grants(), "password"), ctx.formParam("next"));
        } finally {
            PasswordHash.wipe(password);
        }
    }

    private void startSession(Context ctx, Identity who, String next) {
        Sessions.Session session = sessions.create(who);
        setSessionCookie(ctx, session);
        LOG.log(System.Logger.Level.INFO, "{0} signed in ({1})", who.name(), who.via());
        ctx.redirect(safeNext(next));
    }

    private void setSessionCookie(Context ctx, Sessions.Session session) {
        // SameSite=Lax, not Strict: a link to a flag pasted in an incident channel must open signed in.
        // Writes are protected by the CSRF token, not by SameSite.
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        SESSION_COOKIE + "=" + session.id + "; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age="
                                + sessions.maxAge().toSeconds());
    }

    private void logout(Context ctx) {
        Sessions.Session session = ctx.attribute(Web.SESSION);
        if (session != null) {
            sessions.remove(session.id);
        }
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0");
        ctx.redirect("/login");
    }

    private void oidcStart(Context ctx) {
        if (oidc == null) {
            throw new ApiError(ApiError.Code.NOT_FOUND, "OIDC is not configured", null);
        }
        OidcLogin.Start start = oidc.start(safeNext(ctx.queryParam("next")));
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        OIDC_COOKIE + "=" + start.state() + "; Path=/oidc/; HttpOnly; Secure; SameSite=Lax; Max-Age="
                                + OidcLogin.PENDING_TTL.toSeconds());
        ctx.redirect(start.redirect().toString());
    }

    private void oidcCallback(Context ctx) {
        if (oidc == null) {
            throw new ApiError(ApiError.Code.NOT_FOUND, "OIDC is not configured", null);
        }
        if (ctx.queryParam("error") != null) {
            loginPage(ctx, "The identity provider refused the sign-in.", 401);
            return;
        }
        Map.Entry<Identity, String> result =
                oidc.finish(ctx.queryParam("code"), ctx.queryParam("state"), ctx.cookie(OIDC_COOKIE));
        ctx.res().addHeader("Set-Cookie", OIDC_COOKIE + "=; Path=/oidc/; HttpOnly; Secure; SameSite=Lax; Max-Age=0");
        startSession(ctx, result.getKey(), result.getValue());
    }

    /** A local path to go to after sign-in; anything else (another site, {@code //host}) becomes {@code /}. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return "/";
        }
        try {
            URI uri = URI.create(next);
            return uri.getHost() == null && uri.getScheme() == null ? next : "/";
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
