package dev.rewind.commons.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * No string read from a request body holds a NUL character: PostgreSQL text cannot store one (the insert would fail
 * as a 500), and tools and file formats take it as the end of a value. Such a body is a 400 naming the field.
 */
@Singleton
public class JsonStrings implements ObjectMapperCustomizer {

    /** A string value with a NUL character in it. */
    public static final class NulCharacter extends InvalidFormatException {

        NulCharacter(JsonParser parser, String value) {
            super(parser, "A string must not hold a NUL character", value, String.class);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("rewind-json-strings").addDeserializer(String.class, new WithoutNul()));
    }

    static final class WithoutNul extends StdScalarDeserializer<String> {

        WithoutNul() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new NulCharacter(parser, value);
            }
            return value;
        }
    }
}
