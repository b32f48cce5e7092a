package org.valueimprint.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped JSON Schema accepts what the reader accepts, and is not vacuous. */
class SchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode resource(String name) throws IOException {
        try (InputStream in = SchemaTest.class.getResourceAsStream(name)) {
            return name.endsWith(".yaml") ? new YAMLMapper().readTree(in) : JSON.readTree(in);
        }
    }

    private static Set<ValidationMessage> validate(JsonNode document) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(resource("taxonomy.schema.json"));
        return schema.validate(document);
    }

    @Test
    void theBuiltInResourceValidates() throws IOException {
        assertThat(validate(resource("value-imprint.json"))).isEmpty();
    }

    @Test
    void theFixturesValidate() throws IOException {
        assertThat(validate(resource("assistant-conduct.json"))).isEmpty();
        ObjectNode schwartz = (ObjectNode) resource("schwartz-higher-order.yaml");
        schwartz.put("version", "1.10"); // plain YAML reads 1.10 as a number; the taxonomy reader keeps the text
        assertThat(validate(schwartz)).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatTheReaderRefuses() throws IOException {
        ObjectNode doc = (ObjectNode) JSON.readTree(Taxonomies.toJson(ValueTaxonomy.valueImprint()));
        doc.put("colour", "red");
        ((ObjectNode) doc.get("values").get(0)).put("id", "Not An Id");
        ((ObjectNode) doc.get("values").get(1)).remove("definition");
        ((ObjectNode) doc.get("values").get(2)).putArray("cues").add(" ");
        assertThat(validate(doc)).extracting(ValidationMessage::getInstanceLocation).extracting(Object::toString)
                .contains("$", "$.values[0].id", "$.values[1]", "$.values[2].cues[0]");
        doc.remove("colour");
        doc.put("x-colour", "red");
        assertThat(validate(doc)).hasSize(3);
    }
}
