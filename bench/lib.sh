# lib.sh: sourced by the bench scripts (from the repository's root) where they need the
# programs: a release build of their own in build-bench/, and where its programs are.
B=build-bench
cmake -S . -B $B -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build $B -j"$(nproc)" >/dev/null
SOHOA=$PWD/$B/sohoa GEN=$PWD/$B/tests/gen/sohoa-gen CER=$PWD/$B/sohoa-cer
