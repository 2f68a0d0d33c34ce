package io.flagstore.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, held in memory (a restart logs everyone out, which is acceptable for an
 * operator tool and keeps session data out of Redis). A session ends after {@code idleTimeout}
 * without a request or {@code maxAge} after login, whichever comes first. Each carries its own CSRF
 * token, required on every state-changing request (synchronizer token pattern).
 */
final class Sessions {
    /** One logged-in browser. */
    static final class Session {
        final String id;
        final Identity identity;
        final String csrfToken;
        final Instant created;
        volatile Instant lastSeen;

        Session(String id, Identity identity, String csrfToken, Instant created) {
            this.id = id;
            this.identity = identity;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    Sessions(Clock clock, Duration idleTimeout, Duration maxAge) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
    }

    Session create(Identity identity) {
        Session session = new Session(randomToken(), identity, randomToken(), clock.instant());
        sessions.put(session.id, session);
        return session;
    }

    /** The live session with {@code id}, touched; expired sessions are removed and not returned. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(session.lastSeen.plus(idleTimeout)) || now.isAfter(session.created.plus(maxAge))) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Drops expired sessions; called periodically so abandoned sessions do not pile up. */
    void sweep() {
        sessions.keySet().forEach(this::find);
    }

    Duration maxAge() {
        return maxAge;
    }

    /** 256 random bits, URL-safe. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
