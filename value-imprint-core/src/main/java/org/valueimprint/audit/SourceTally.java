package org.valueimprint.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.valueimprint.data.Side;

/** The counts of one source dataset: audited records, one {@link SideTally} per audited side, the pair counts. */
final class SourceTally {
    long recordsAudited;
    final EnumMap<Side, SideTally> sides = new EnumMap<>(Side.class);
    final PairTally pairs;

    SourceTally(Set<Side> audited, int size) {
        this(audited, size, false);
    }

    SourceTally(Set<Side> audited, int size, boolean multiLabel) {
        for (Side s : audited) {
            sides.put(s, new SideTally(size, multiLabel));
        }
        pairs = new PairTally(size, multiLabel);
    }

    void addAll(SourceTally o) {
        recordsAudited += o.recordsAudited;
        for (Map.Entry<Side, SideTally> e : o.sides.entrySet()) {
            sides.get(e.getKey()).addAll(e.getValue());
        }
        pairs.addAll(o.pairs);
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("records_audited", recordsAudited);
        ObjectNode s = o.putObject("sides");
        sides.forEach((side, tally) -> s.set(side.key(), tally.toJson()));
        o.set("pairs", pairs.toJson());
        return o;
    }

    static SourceTally fromJson(JsonNode o, Set<Side> audited, int size, boolean multiLabel) {
        SourceTally t = new SourceTally(audited, size, multiLabel);
        t.recordsAudited = Json.requireLong(o, "records_audited");
        JsonNode s = Json.require(o, "sides");
        for (Side side : audited) {
            t.sides.put(side, SideTally.fromJson(Json.require(s, side.key()), size, multiLabel));
        }
        PairTally p = PairTally.fromJson(Json.require(o, "pairs"), size, multiLabel);
        t.pairs.addAll(p);
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceTally t && recordsAudited == t.recordsAudited && sides.equals(t.sides)
                && pairs.equals(t.pairs);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(recordsAudited) * 31 + sides.hashCode();
    }
}
