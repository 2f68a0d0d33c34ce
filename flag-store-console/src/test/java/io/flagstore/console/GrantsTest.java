package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrantsTest {
    @Test
    void namedNamespaceWinsOverWildcard() {
        Grants grants = Grants.parse("viewer@*, admin@staging");
        assertThat(grants.in("prod")).contains(Role.VIEWER);
        assertThat(grants.in("staging")).contains(Role.ADMIN);
        assertThat(grants.allows("prod", Role.OPERATOR)).isFalse();
        assertThat(grants.allows("staging", Role.OPERATOR)).isTrue();
    }

    @Test
    void noGrantMeansNoAccess() {
        assertThat(Grants.parse("operator@prod").in("staging")).isEmpty();
        assertThat(Grants.parse("").roles()).isEmpty();
    }

    @Test
    void theHigherRoleOfTwoForOneNamespaceCounts() {
        assertThat(Grants.parse("viewer@prod,operator@prod").in("prod")).contains(Role.OPERATOR);
    }

    @Test
    void malformedGrantsAreRefusedByName() {
        assertThatThrownBy(() -> Grants.parse("operator")).hasMessageContaining("'operator' is not role@namespace");
        assertThatThrownBy(() -> Grants.parse("root@prod")).hasMessageContaining("unknown role 'root'");
    }

    @Test
    void printsInTheSyntaxItParses() {
        Grants grants = Grants.parse("operator@prod,viewer@*");
        assertThat(Grants.parse(grants.toString())).isEqualTo(grants);
    }
}
