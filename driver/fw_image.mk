# driver/fw_image.mk - the firmware container parser's host pieces, included
# by the top Makefile: the unit test (run by `make check-host`/`make check`
# through EXTRA_HOST_TESTS) and the libFuzzer target (`make fuzz-fw`).
#
# The unit test runs vm/mkfw for the valid image and every corruption kind;
# tests/run starts it without arguments, so mkfw's path is compiled in.

FW_IMAGE_SRC := driver/fw_image.c driver/fw_image.h

$(B)/tests/test_fw_image: tests/driver/test_fw_image.c $(FW_IMAGE_SRC) model/csf_layout.h \
		tests/include/ktap.h $(B)/mkfw
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) -DMKFW_PATH='"$(B)/mkfw"' -Idriver -Imodel \
		-Itests/include tests/driver/test_fw_image.c driver/fw_image.c -o $@

EXTRA_HOST_TESTS += $(B)/tests/test_fw_image

# make fuzz-fw FUZZ_SECONDS=600: seeded with mkfw's valid image and every
# corrupt one; the corpus grows in $(B)/fuzz/corpus-fw.
$(B)/fuzz/fw_image: fuzz/fw_image.c $(FW_IMAGE_SRC)
	@command -v clang >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@mkdir -p $(B)/fuzz
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Idriver $< driver/fw_image.c -o $@

$(B)/fuzz/seed-fw/.stamp: $(FW) $(B)/firmware-bad/.stamp
	@rm -rf $(B)/fuzz/seed-fw && mkdir -p $(B)/fuzz/seed-fw
	@cp $(FW) $(B)/fuzz/seed-fw/valid
	@for d in $(B)/firmware-bad/*/; do \
		k=$$(basename $$d); cp $$d/arm/mali/arch10.8/mali_csffw.bin $(B)/fuzz/seed-fw/$$k || exit 1; \
	done
	@touch $@

.PHONY: fuzz-fw
fuzz-fw: $(B)/fuzz/fw_image $(B)/fuzz/seed-fw/.stamp
	@mkdir -p $(B)/fuzz/corpus-fw
	$(B)/fuzz/fw_image -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		$(B)/fuzz/corpus-fw $(B)/fuzz/seed-fw
