package io.flagstore.openfeature;

import static io.flagstore.openfeature.TestFlags.clause;
import static io.flagstore.openfeature.TestFlags.jsonFlag;
import static io.flagstore.openfeature.TestFlags.numberFlag;
import static io.flagstore.openfeature.TestFlags.stringFlag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.LocalOverrides;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Evaluations through the OpenFeature client API, as an application makes them. */
class FlagStoreProviderTest {
    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private InMemoryFlagSource source;
    private FlagClient flagClient;
    private Client client;

    @BeforeEach
    void setUp() {
        source = InMemoryFlagSource.of(
                Flag.killSwitch("kill"),
                Flag.killSwitch("off").withEnabled(false),
                stringFlag("theme").owner("team-ui").tags(List.of("ui", "beta")).build(),
                numberFlag("limit", 42),
                numberFlag("ratio", 0.25),
                numberFlag("huge", 3e10),
                jsonFlag("config", "{\"retries\":3,\"hosts\":[\"a\",\"b\"],\"tls\":{\"on\":true},\"none\":null}"),
                jsonFlag("scalar", "\"just text\""));
        flagClient = FlagClient.builder().source(source).build();
        api.setProviderAndWait(FlagStoreProvider.of(flagClient));
        client = api.getClient();
    }

    @AfterEach
    void tearDown() {
        api.shutdown();
        flagClient.close();
    }

    @Test
    void reportsItsNameAndIsReady() {
        assertThat(api.getProviderMetadata().getName()).isEqualTo("flag-store");
        assertThat(client.getProviderState()).isEqualTo(dev.openfeature.sdk.ProviderState.READY);
    }

    @Test
    void flagWithoutTargetingIsStatic() {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("kill", false);

        assertThat(details.getValue()).isTrue();
        assertThat(details.getVariant()).isEqualTo("on");
        assertThat(details.getReason()).isEqualTo(Reason.STATIC.name());
        assertThat(details.getErrorCode()).isNull();
        assertThat(details.getFlagMetadata().getString("flagstoreReason")).isEqualTo("FALLTHROUGH");
        assertThat(details.getFlagMetadata().getLong("flagVersion")).isEqualTo(source.version());
    }

    @Test
    void disabledFlagServesItsOffVariant() {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("off", true);

        assertThat(details.getValue()).isFalse();
        assertThat(details.getVariant()).isEqualTo("off");
        assertThat(details.getReason()).isEqualTo(Reason.DISABLED.name());
    }

    @Test
    void individualTargetIsATargetingMatchAndOthersGetTheDefaultReason() {
        source.put(stringFlag("theme").target("b", List.of("user-7")).build());

        FlagEvaluationDetails<String> target = client.getStringDetails("theme", "x", new ImmutableContext("user-7"));
        FlagEvaluationDetails<String> other = client.getStringDetails("theme", "x", new ImmutableContext("user-8"));

        assertThat(target.getValue()).isEqualTo("beta");
        assertThat(target.getVariant()).isEqualTo("b");
        assertThat(target.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(target.getFlagMetadata().getString("flagstoreReason")).isEqualTo("TARGET_MATCH");
        assertThat(other.getValue()).isEqualTo("alpha");
        assertThat(other.getReason()).isEqualTo(Reason.DEFAULT.name());
    }

    @Test
    void ruleMatchReportsTheRuleInMetadata() {
        source.put(stringFlag("theme")
                .rule(new Rule("r-nl", null, List.of(clause("country", Operator.IN, "NL")), Serve.variant("a")))
                .rule(new Rule("r-de", null, List.of(clause("country", Operator.IN, "DE")), Serve.variant("b")))
                .build());

        FlagEvaluationDetails<String> details =
                client.getStringDetails("theme", "x", new ImmutableContext("u", Map.of("country", new Value("DE"))));

        assertThat(details.getValue()).isEqualTo("beta");
        assertThat(details.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(details.getFlagMetadata().getInteger("ruleIndex")).isEqualTo(1);
        assertThat(details.getFlagMetadata().getString("ruleId")).isEqualTo("r-de");
        assertThat(details.getFlagMetadata().getString("flagstoreReason")).isEqualTo("RULE_MATCH");
    }

    @Test
    void rolloutFallthroughIsASplit() {
        source.put(stringFlag("theme")
                .fallthrough(Serve.rollout(
                        new Rollout(List.of(new WeightedVariant("a", 50), new WeightedVariant("b", 50)), null)))
                .build());

        FlagEvaluationDetails<String> details = client.getStringDetails("theme", "x", new ImmutableContext("u1"));

        assertThat(details.getReason()).isEqualTo(Reason.SPLIT.name());
        assertThat(details.getVariant()).isIn("a", "b");
        assertThat(details.getValue()).isEqualTo(details.getVariant().equals("a") ? "alpha" : "beta");
    }

    @Test
    void failedPrerequisiteServesTheOffVariantAsDisabled() {
        source.put(
                stringFlag("theme").prerequisite(new Prerequisite("off", "on")).build());

        FlagEvaluationDetails<String> details = client.getStringDetails("theme", "x");

        assertThat(details.getValue()).isEqualTo("beta");
        assertThat(details.getReason()).isEqualTo(Reason.DISABLED.name());
        assertThat(details.getFlagMetadata().getString("flagstoreReason")).isEqualTo("PREREQUISITE_FAILED");
    }

    @Test
    void ownerAndTagsAreFlagMetadata() {
        FlagEvaluationDetails<String> details = client.getStringDetails("theme", "x");

        assertThat(details.getFlagMetadata().getString("owner")).isEqualTo("team-ui");
        assertThat(details.getFlagMetadata().getString("tags")).isEqualTo("ui,beta");
    }

    @Test
    void numberFlagsServeIntegersLongsAndDoubles() {
        assertThat(client.getIntegerDetails("limit", 0).getValue()).isEqualTo(42);
        assertThat(client.getIntegerDetails("limit", 0).getVariant()).isEqualTo("v");
        assertThat(client.getLongValue("huge", 0L)).isEqualTo(30_000_000_000L);
        assertThat(client.getDoubleDetails("ratio", 0.0).getValue()).isEqualTo(0.25);
        assertThat(client.getDoubleValue("limit", 0.0)).isEqualTo(42.0);
    }

    @Test
    void nonIntegralOrOutOfRangeNumberReadAsIntegerIsATypeMismatch() {
        FlagEvaluationDetails<Integer> fraction = client.getIntegerDetails("ratio", 7);
        FlagEvaluationDetails<Integer> huge = client.getIntegerDetails("huge", 7);

        assertThat(fraction.getValue()).isEqualTo(7);
        assertThat(fraction.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(fraction.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(fraction.getErrorMessage()).contains("ratio", "0.25");
        assertThat(huge.getValue()).isEqualTo(7);
        assertThat(huge.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    }

    @Test
    void jsonFlagIsAStructure() {
        FlagEvaluationDetails<Value> details = client.getObjectDetails("config", new Value("default"));

        Value value = details.getValue();
        assertThat(details.getVariant()).isEqualTo("v");
        assertThat(details.getReason()).isEqualTo(Reason.STATIC.name());
        assertThat(value.asStructure().getValue("retries").asInteger()).isEqualTo(3);
        assertThat(value.asStructure().getValue("hosts").asList())
                .extracting(Value::asString)
                .containsExactly("a", "b");
        assertThat(value.asStructure()
                        .getValue("tls")
                        .asStructure()
                        .getValue("on")
                        .asBoolean())
                .isTrue();
        assertThat(value.asStructure().getValue("none").isNull()).isTrue();
    }

    @Test
    void jsonFlagMayHoldAScalar() {
        assertThat(client.getObjectValue("scalar", new Value()).asString()).isEqualTo("just text");
    }

    @Test
    void disabledJsonFlagServesItsOffVariant() {
        source.setEnabled("config", false);

        FlagEvaluationDetails<Value> details = client.getObjectDetails("config", new Value("default"));

        assertThat(details.getValue().asStructure().isEmpty()).isTrue();
        assertThat(details.getVariant()).isEqualTo("none");
        assertThat(details.getReason()).isEqualTo(Reason.DISABLED.name());
    }

    @Test
    void missingFlagServesTheDefaultWithFlagNotFound() {
        FlagEvaluationDetails<String> details = client.getStringDetails("nope", "fallback");

        assertThat(details.getValue()).isEqualTo("fallback");
        assertThat(details.getVariant()).isNull();
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(details.getErrorMessage()).contains("nope");
    }

    @Test
    void everyTypeMismatchServesTheDefault() {
        assertThat(client.getBooleanDetails("theme", true).getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(client.getBooleanDetails("theme", true).getValue()).isTrue();
        assertThat(client.getStringDetails("kill", "d").getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(client.getIntegerDetails("theme", 1).getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(client.getDoubleDetails("config", 1.5).getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        FlagEvaluationDetails<Value> object = client.getObjectDetails("kill", new Value("d"));
        assertThat(object.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(object.getValue().asString()).isEqualTo("d");
        assertThat(object.getFlagMetadata().getLong("flagVersion")).isEqualTo(1L);
    }

    @Test
    void brokenDefinitionIsAParseError() {
        source.put(stringFlag("theme")
                .fallthrough(Serve.variant("no-such-variant"))
                .build());

        FlagEvaluationDetails<String> details = client.getStringDetails("theme", "fallback");

        assertThat(details.getValue()).isEqualTo("fallback");
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
        assertThat(details.getFlagMetadata().getString("flagstoreReason")).isEqualTo("ERROR");
    }

    @Test
    void contextAttributesReachRules() {
        source.put(stringFlag("theme")
                .rule(new Rule(
                        "all",
                        null,
                        List.of(
                                clause("country", Operator.IN, "DE"),
                                clause("age", Operator.GTE, 18),
                                clause("beta", Operator.IN, true),
                                clause("groups", Operator.IN, "staff"),
                                clause("user.plan", Operator.IN, "pro"),
                                clause("signup", Operator.BEFORE, "2026-01-01T00:00:00Z")),
                        Serve.variant("b")))
                .build());
        MutableContext context = new MutableContext("u1")
                .add("country", "DE")
                .add("age", 37)
                .add("beta", true)
                .add("groups", List.of(new Value("dev"), new Value("staff"), new Value(new ImmutableStructure())))
                .add("user", new ImmutableStructure(Map.of("plan", new Value("pro"))))
                .add("signup", Instant.parse("2025-05-01T00:00:00Z"));

        assertThat(client.getStringValue("theme", "x", context)).isEqualTo("beta");
        context.add("age", 17.5);
        assertThat(client.getStringValue("theme", "x", context)).isEqualTo("alpha");
    }

    @Test
    void targetingKeyIsTheContextKeyAndAKeyAttributeCannotReplaceIt() {
        source.put(stringFlag("theme")
                .rule(new Rule("by-key", null, List.of(clause("key", Operator.IN, "user-1")), Serve.variant("b")))
                .build());

        assertThat(client.getStringValue("theme", "x", new ImmutableContext("user-1")))
                .isEqualTo("beta");
        assertThat(client.getStringValue(
                        "theme", "x", new ImmutableContext("user-2", Map.of("key", new Value("user-1")))))
                .isEqualTo("alpha");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext())).isEqualTo("alpha");
    }

    @Test
    void apiLevelContextIsMergedIn() {
        source.put(stringFlag("theme")
                .rule(new Rule("eu", null, List.of(clause("region", Operator.IN, "eu")), Serve.variant("b")))
                .build());
        api.setEvaluationContext(new ImmutableContext(Map.of("region", new Value("eu"))));

        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u")))
                .isEqualTo("beta");
    }

    @Test
    void localOverrideIsStatic() {
        FlagClient overridden = FlagClient.builder()
                .source(InMemoryFlagSource.of(Flag.killSwitch("kill")))
                .overrides(LocalOverrides.of(Map.of("kill", false)))
                .build();
        try {
            api.setProviderAndWait(FlagStoreProvider.of(overridden));

            FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("kill", true);

            assertThat(details.getValue()).isFalse();
            assertThat(details.getVariant()).isEqualTo(LocalOverrides.VARIANT);
            assertThat(details.getReason()).isEqualTo(Reason.STATIC.name());
            assertThat(details.getFlagMetadata().getString("flagstoreReason")).isEqualTo("OVERRIDE");
        } finally {
            overridden.close();
        }
    }

    @Test
    void nullDefaultsAreServedAsNull() {
        assertThat(client.getBooleanDetails("nope", null).getValue()).isNull();
        assertThat(client.getIntegerDetails("nope", null).getValue()).isNull();
        assertThat(client.getBooleanDetails("kill", null).getValue()).isTrue();
    }
}
