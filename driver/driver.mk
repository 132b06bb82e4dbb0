# panref (driver/): the reference driver for the Panthor uAPI, built for the
# UML test machine. Included by the top Makefile; `make vm` builds it.
#
#   make panref              driver/panref.ko (ARCH=um, against build/kernel)
#   make checkpatch-driver   kernel style of panref's own files
#   make clean-driver        remove the build products in driver/
#
# Like the model, the module rule always hands over to Kbuild, which decides
# what is out of date (also after a kernel rebuild) in about a second.

.PHONY: panref panref-kbuild checkpatch-driver clean-driver

$(TOP)/driver/panref.ko: panref-kbuild

panref-kbuild: kernel
	$(MAKE) -s -C $(KOUT) ARCH=um M=$(TOP)/driver PANREF_TEST=y PANREF_WERROR=y modules

panref: $(TOP)/driver/panref.ko

DRIVER_VM += $(TOP)/driver/panref.ko

# fw_image.* belongs to the firmware-parser owner; *.mod.c is generated.
checkpatch-driver: | kernel
	$(KSRC)/scripts/checkpatch.pl --no-tree -q -f \
		$(filter-out $(TOP)/driver/fw_image.% %.mod.c,$(wildcard $(TOP)/driver/*.c $(TOP)/driver/*.h))

clean-driver:
	-$(MAKE) -s -C $(KOUT) ARCH=um M=$(TOP)/driver clean 2>/dev/null
