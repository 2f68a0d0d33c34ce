package io.flagstore.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;
import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;

/**
 * Translates flag-store evaluation details into OpenFeature provider evaluations: reasons, error
 * codes and flag metadata. The table is in {@code docs/openfeature.md}.
 */
final class Results {
    /** Metadata key: the version of the flag evaluated (long). */
    static final String FLAG_VERSION = "flagVersion";
    /** Metadata key: the flag-store reason, finer than the OpenFeature one (string). */
    static final String FLAGSTORE_REASON = "flagstoreReason";
    /** Metadata key: the index of the matched rule (integer), only for a rule match. */
    static final String RULE_INDEX = "ruleIndex";
    /** Metadata key: the id of the matched rule (string), when the rule has one. */
    static final String RULE_ID = "ruleId";
    /** Metadata key: the flag's owner (string), when set. */
    static final String OWNER = "owner";
    /** Metadata key: the flag's tags, comma-separated (string), when any. */
    static final String TAGS = "tags";

    private Results() {}

    /**
     * The provider evaluation for {@code detail}, serving {@code value} (already converted to the
     * OpenFeature type) or, when the caller's default was served, {@code defaultValue}.
     *
     * @param flag the flag evaluated, for metadata and the STATIC/DEFAULT distinction; may be null
     */
    static <T> ProviderEvaluation<T> of(String key, EvaluationDetail<?> detail, T value, T defaultValue, Flag flag) {
        ImmutableMetadata metadata = metadata(detail, flag);
        if (detail.reason() == Reason.ERROR) {
            ErrorKind kind = detail.errorKind() == null ? ErrorKind.GENERAL : detail.errorKind();
            return error(defaultValue, errorCode(kind), message(key, kind), metadata);
        }
        return ProviderEvaluation.<T>builder()
                .value(detail.variant() == null ? defaultValue : value)
                .variant(detail.variant())
                .reason(reason(detail.reason(), flag).name())
                .flagMetadata(metadata)
                .build();
    }

    /** An error result serving the caller's default. */
    static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message, ImmutableMetadata metadata) {
        return ProviderEvaluation.<T>builder()
                .value(defaultValue)
                .reason(dev.openfeature.sdk.Reason.ERROR.name())
                .errorCode(code)
                .errorMessage(message)
                .flagMetadata(metadata)
                .build();
    }

    static dev.openfeature.sdk.Reason reason(Reason reason, Flag flag) {
        switch (reason) {
            case DISABLED:
            case PREREQUISITE_FAILED:
                // Both serve the off variant: for this context the flag is off.
                return dev.openfeature.sdk.Reason.DISABLED;
            case TARGET_MATCH:
            case RULE_MATCH:
                return dev.openfeature.sdk.Reason.TARGETING_MATCH;
            case SPLIT:
                return dev.openfeature.sdk.Reason.SPLIT;
            case FALLTHROUGH:
                return flag != null && isStatic(flag)
                        ? dev.openfeature.sdk.Reason.STATIC
                        : dev.openfeature.sdk.Reason.DEFAULT;
            case OVERRIDE:
                return dev.openfeature.sdk.Reason.STATIC;
            default:
                return dev.openfeature.sdk.Reason.ERROR;
        }
    }

    /** Whether an enabled flag serves the same variant to every context (nothing to evaluate). */
    private static boolean isStatic(Flag flag) {
        return flag.targets().isEmpty()
                && flag.rules().isEmpty()
                && flag.prerequisites().isEmpty();
    }

    static ErrorCode errorCode(ErrorKind kind) {
        switch (kind) {
            case FLAG_NOT_FOUND:
                return ErrorCode.FLAG_NOT_FOUND;
            case TYPE_MISMATCH:
                return ErrorCode.TYPE_MISMATCH;
            case MALFORMED_FLAG:
                return ErrorCode.PARSE_ERROR;
            case NOT_READY:
                return ErrorCode.PROVIDER_NOT_READY;
            default:
                return ErrorCode.GENERAL;
        }
    }

    private static String message(String key, ErrorKind kind) {
        switch (kind) {
            case FLAG_NOT_FOUND:
                return "flag '" + key + "' not found";
            case TYPE_MISMATCH:
                return "flag '" + key + "' is of another type than the one requested";
            case MALFORMED_FLAG:
                return "flag '" + key + "' has a broken definition (see the flag-store client log)";
            case NOT_READY:
                return "no flag data received yet";
            default:
                return "evaluating flag '" + key + "' failed (see the flag-store client log)";
        }
    }

    static ImmutableMetadata metadata(EvaluationDetail<?> detail, Flag flag) {
        ImmutableMetadata.ImmutableMetadataBuilder b = ImmutableMetadata.builder()
                .addString(FLAGSTORE_REASON, detail.reason().name());
        if (detail.flagVersion() > 0) {
            b.addLong(FLAG_VERSION, detail.flagVersion());
        }
        if (detail.reason() == Reason.RULE_MATCH) {
            b.addInteger(RULE_INDEX, detail.ruleIndex());
        }
        if (detail.ruleId() != null) {
            b.addString(RULE_ID, detail.ruleId());
        }
        if (flag != null) {
            if (flag.owner() != null) {
                b.addString(OWNER, flag.owner());
            }
            if (!flag.tags().isEmpty()) {
                b.addString(TAGS, String.join(",", flag.tags()));
            }
        }
        return b.build();
    }
}
