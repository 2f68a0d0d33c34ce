package io.flagstore.console;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.AccessDeniedException;
import io.flagstore.redis.Batch;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every write the console makes, shared by the pages and the JSON API: checks the caller's role in
 * the namespace, requires a reason, refuses in read-only namespaces, records the authenticated
 * identity as the audit actor, then calls the admin library and tells the fleet tracker.
 */
final class Operations {
    private final Namespaces namespaces;

    Operations(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** The namespace, if the caller may at least read it. */
    NamespaceView readable(Identity who, String ns) {
        return authorize(who, ns, Role.VIEWER);
    }

    WriteResult setEnabled(Identity who, String ns, String key, boolean enabled, String reason, Long expected) {
        return write(
                who,
                ns,
                Role.OPERATOR,
                reason,
                expected,
                (admin, o) -> enabled ? admin.enable(key, o) : admin.disable(key, o));
    }

    WriteResult setEnabledByTag(Identity who, String ns, String tag, boolean enabled, String reason) {
        return write(who, ns, Role.OPERATOR, reason, null, (admin, o) -> admin.setEnabledByTag(tag, enabled, o));
    }

    WriteResult setRollout(
            Identity who, String ns, String key, List<WeightedVariant> weights, String reason, Long expected) {
        return write(who, ns, Role.OPERATOR, reason, expected, (admin, o) -> admin.setRollout(key, weights, o));
    }

    WriteResult setTargets(
            Identity who, String ns, String key, String variant, List<String> keys, String reason, Long expected) {
        return write(who, ns, Role.OPERATOR, reason, expected, (admin, o) -> admin.setTargets(key, variant, keys, o));
    }

    WriteResult create(Identity who, String ns, Flag flag, String reason) {
        return write(who, ns, Role.ADMIN, reason, null, (admin, o) -> admin.create(flag, o));
    }

    WriteResult update(Identity who, String ns, Flag flag, String reason, long expected) {
        return write(who, ns, Role.ADMIN, reason, expected, (admin, o) -> admin.update(flag, o));
    }

    WriteResult apply(Identity who, String ns, Batch batch, String reason) {
        return write(who, ns, Role.ADMIN, reason, null, (admin, o) -> admin.apply(batch, o));
    }

    WriteResult delete(Identity who, String ns, String key, String reason, Long expected) {
        return write(who, ns, Role.ADMIN, reason, expected, (admin, o) -> admin.delete(key, o));
    }

    /** Whether {@code who} may make writes needing {@code role} in {@code ns} (for showing controls). */
    boolean mayWrite(Identity who, String ns, Role role) {
        NamespaceView view = namespaces.find(ns);
        return view != null && !view.readOnly() && who.grants().allows(ns, role);
    }

    Map<String, NamespaceView> all() {
        return namespaces.all();
    }

    private NamespaceView authorize(Identity who, String ns, Role role) {
        NamespaceView view = namespaces.find(ns);
        if (view == null || who.grants().in(ns).isEmpty()) {
            // the same answer whether the namespace exists or is not visible to the caller
            throw new ApiError(
                    ApiError.Code.NOT_FOUND, "no namespace '" + ns + "' for you", "the namespace menu lists yours");
        }
        if (!who.grants().allows(ns, role)) {
            throw new ApiError(
                    ApiError.Code.DENIED,
                    who.name() + " is " + who.grants().in(ns).orElseThrow().label() + " in " + ns + "; this needs "
                            + role.label(),
                    "ask an admin of the console for the " + role.label() + " role in " + ns);
        }
        return view;
    }

    private NamespaceView writable(Identity who, String ns, Role role) {
        NamespaceView view = authorize(who, ns, role);
        if (view.readOnly()) {
            throw new ApiError(
                    ApiError.Code.DENIED,
                    "namespace " + ns + " is read-only in this console",
                    "the console's Redis user has only the service role (or --read-only is set)");
        }
        return view;
    }

    private static WriteOptions options(Identity who, String reason, Long expected) {
        if (reason == null || reason.isBlank()) {
            throw new ApiError(
                    ApiError.Code.USAGE,
                    "a reason is required for every write",
                    "say why, e.g. 'INC-42: payments failing'");
        }
        if (reason.length() > 500) {
            throw new ApiError(ApiError.Code.USAGE, "the reason is longer than 500 characters", null);
        }
        WriteOptions options = WriteOptions.defaults().withActor(who.actor()).withReason(reason.strip());
        return expected == null ? options : options.withExpectedVersion(expected);
    }

    /**
     * Checks the role, the reason and read-only mode, makes the write with the caller as the actor,
     * and tells the fleet tracker.
     */
    private WriteResult write(
            Identity who,
            String ns,
            Role role,
            String reason,
            Long expected,
            BiFunction<FlagAdmin, WriteOptions, WriteResult> call) {
        NamespaceView view = writable(who, ns, role);
        WriteOptions options = options(who, reason, expected);
        WriteResult result;
        try {
            result = call.apply(view.admin, options);
        } catch (AccessDeniedException e) {
            if (e.requiredRole() != null) {
                view.refusedWrite();
            }
            throw e;
        }
        view.fleet.written(result.version(), result.writtenAt());
        return result;
    }
}
