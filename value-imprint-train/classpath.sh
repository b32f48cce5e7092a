# Sourced by fine-tune.sh and cross-validate.sh: builds the reactor up to value-imprint-train (MVN_FLAGS=-o builds
# offline) and sets $cp, the class path of org.valueimprint.finetune's mains. Run from the repository root.
cpfile="$(mktemp)"
# One invocation, so that the reactor's own modules resolve from the reactor (nothing needs `mvn install`).
mvn -B -q ${MVN_FLAGS:-} package dependency:build-classpath -pl value-imprint-train -am -DskipTests \
  -Dmdep.outputFile="$cpfile" >/dev/null
deps="$(tr ':' '\n' < "$cpfile" | grep -v '/org/valueimprint/' | paste -sd: -)"
rm -f "$cpfile"
cp="value-imprint-train/target/classes:value-imprint-onnx/target/classes:value-imprint-core/target/classes"
cp="$cp:value-imprint-taxonomy/target/classes:$deps"
