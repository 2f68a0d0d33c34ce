package io.flagstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata IDEs complete {@code flagstore.*} from is generated, described and has the defaults. */
class ConfigurationMetadataTest {
    private static Map<String, JsonNode> properties() throws IOException {
        Map<String, JsonNode> byName = new HashMap<>();
        try (InputStream in =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            new ObjectMapper()
                    .readTree(in)
                    .path("properties")
                    .forEach(p -> byName.put(p.path("name").asText(), p));
        }
        return byName;
    }

    @Test
    void everyPropertyIsDescribedAndTheMainOnesHaveTheirDefaults() throws IOException {
        Map<String, JsonNode> properties = properties();
        assertThat(properties)
                .containsKeys(
                        "flagstore.redis.uri",
                        "flagstore.redis.namespace",
                        "flagstore.redis.backup-file",
                        "flagstore.redis.presence-key-file",
                        "flagstore.redis.trusted-certificate",
                        "flagstore.redis.sentinel-password",
                        "flagstore.service-name",
                        "flagstore.fail-fast",
                        "flagstore.overrides",
                        "flagstore.local.location",
                        "flagstore.admin.enabled");
        assertThat(properties.values())
                .allSatisfy(p -> assertThat(p.path("description").asText()).isNotBlank());
        assertThat(properties
                        .get("flagstore.redis.namespace")
                        .path("defaultValue")
                        .asText())
                .isEqualTo("default");
        assertThat(properties
                        .get("flagstore.start-timeout")
                        .path("defaultValue")
                        .asText())
                .isEqualTo("5s");
        assertThat(properties.get("flagstore.fail-fast").path("defaultValue").asBoolean(true))
                .isFalse();
    }
}
