# harness/csdis.mk - the command-stream disassembler (harness/csdis.[ch]),
# included by the top Makefile: its host unit test, run by `make check-host`
# / `make check` through EXTRA_HOST_TESTS. The test encodes instructions
# with the model's encoders (model/mm_cs.h, header only: static inlines).

CSDIS_SRC := harness/csdis.c harness/csdis.h

$(B)/tests/test_csdis: tests/harness/test_csdis.c $(CSDIS_SRC) model/mm_cs.h model/mm_compat.h \
		tests/include/mm_host_compat.h tests/include/ktap.h
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) -Iharness -Imodel -Itests/include \
		tests/harness/test_csdis.c harness/csdis.c -o $@

EXTRA_HOST_TESTS += $(B)/tests/test_csdis

# pantrace dump prints submitted streams with it: link it into pantrace (the
# top Makefile's rule was read before this file, so add the prerequisites
# here; the recipe expands PANTRACE_SRC when it runs).
PANTRACE_SRC += harness/csdis.c
$(B)/bin/pantrace: $(CSDIS_SRC)
