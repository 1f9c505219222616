package dev.paypipe.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests the shared {@link KafkaBroker} and {@link PostgresServer}
 * (constructor, lifecycle or test method parameters), started once per test run. Tests make
 * their own fresh topics ({@link KafkaBroker#freshTopics}) and databases
 * ({@link PostgresServer#freshDatabase}).
 */
public final class PaypipeInfraExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class ? TestInfra.kafka() : TestInfra.postgres();
    }
}
