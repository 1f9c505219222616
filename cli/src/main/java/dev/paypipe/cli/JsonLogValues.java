package dev.paypipe.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import net.logstash.logback.decorate.JsonFactoryDecorator;

/**
 * How key-value pairs become JSON values in the production log (logback.xml): instants and durations
 * as their ISO-8601 text, and any other value without bean properties as an empty object instead of
 * an error. Without it the encoder fails on such a value and drops the whole line (an
 * {@code addKeyValue("at", Instant)} event never reached stdout).
 */
public final class JsonLogValues implements JsonFactoryDecorator {

    @Override
    public JsonFactory decorate(JsonFactory factory) {
        if (factory.getCodec() instanceof ObjectMapper mapper) {
            SimpleModule values = new SimpleModule("paypipe-log-values");
            values.addSerializer(TemporalAccessor.class, ToStringSerializer.instance);
            values.addSerializer(Duration.class, ToStringSerializer.instance);
            mapper.registerModule(values);
            mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        }
        return factory;
    }
}
