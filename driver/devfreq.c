// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: GPU frequency scaling - OPP table with the "mali" supply and a
 * devfreq device under simple_ondemand, as Panthor 6.12 sets them up.
 */
#include <linux/clk.h>
#include <linux/devfreq.h>
#include <linux/platform_device.h>
#include <linux/pm_opp.h>
#include <linux/spinlock.h>

#include <drm/drm_print.h>

#include "panref.h"

struct panref_devfreq {
	struct devfreq *devfreq;
	struct devfreq_dev_profile profile;
	struct devfreq_simple_ondemand_data gov;
	spinlock_t lock;	/* the times below */
	ktime_t busy, idle, since;
	bool gpu_busy;
};

/* Account the time since the last update as busy or idle. */
static void panref_devfreq_account(struct panref_devfreq *pd)
{
	ktime_t now = ktime_get();

	if (pd->gpu_busy)
		pd->busy = ktime_add(pd->busy, ktime_sub(now, pd->since));
	else
		pd->idle = ktime_add(pd->idle, ktime_sub(now, pd->since));
	pd->since = now;
}

static void panref_devfreq_reset(struct panref_devfreq *pd)
{
	pd->busy = 0;
	pd->idle = 0;
	pd->since = ktime_get();
}

static int panref_devfreq_target(struct device *dev, unsigned long *freq, u32 flags)
{
	struct dev_pm_opp *opp;
	int ret;

	opp = devfreq_recommended_opp(dev, freq, flags);
	if (IS_ERR(opp))
		return PTR_ERR(opp);
	dev_pm_opp_put(opp);
	ret = dev_pm_opp_set_rate(dev, *freq);
	return ret;
}

static int panref_devfreq_status(struct device *dev, struct devfreq_dev_status *st)
{
	struct panref_device *prdev = dev_get_drvdata(dev);
	struct panref_devfreq *pd = prdev->devfreq;
	unsigned long flags;

	st->current_frequency = clk_get_rate(prdev->clk);
	spin_lock_irqsave(&pd->lock, flags);
	panref_devfreq_account(pd);
	st->total_time = ktime_to_ns(ktime_add(pd->busy, pd->idle));
	st->busy_time = ktime_to_ns(pd->busy);
	panref_devfreq_reset(pd);
	spin_unlock_irqrestore(&pd->lock, flags);
	return 0;
}

static int panref_devfreq_cur_freq(struct device *dev, unsigned long *freq)
{
	struct panref_device *prdev = dev_get_drvdata(dev);

	*freq = clk_get_rate(prdev->clk);
	return 0;
}

int panref_devfreq_init(struct panref_device *prdev)
{
	static const char *const supplies[] = { "mali", NULL };
	struct device *dev = prdev->base.dev;
	struct panref_devfreq *pd;
	struct dev_pm_opp *opp;
	unsigned long freq;
	int ret;

	pd = devm_kzalloc(dev, sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return -ENOMEM;
	spin_lock_init(&pd->lock);
	panref_devfreq_reset(pd);

	/* No dummy supply: the OPP core needs the real "mali" regulator. */
	ret = devm_pm_opp_set_regulators(dev, supplies);
	if (ret)
		return dev_err_probe(dev, ret, "no OPP regulator \"mali\"\n");
	ret = devm_pm_opp_of_add_table(dev);
	if (ret)
		return dev_err_probe(dev, ret, "no OPP table\n");

	freq = clk_get_rate(prdev->clk);
	opp = devfreq_recommended_opp(dev, &freq, 0);
	if (IS_ERR(opp))
		return PTR_ERR(opp);
	ret = dev_pm_opp_set_opp(dev, opp);
	dev_pm_opp_put(opp);
	if (ret)
		return dev_err_probe(dev, ret, "cannot set the initial OPP\n");

	pd->profile.timer = DEVFREQ_TIMER_DELAYED;
	pd->profile.polling_ms = 50;
	pd->profile.initial_freq = freq;
	pd->profile.target = panref_devfreq_target;
	pd->profile.get_dev_status = panref_devfreq_status;
	pd->profile.get_cur_freq = panref_devfreq_cur_freq;
	pd->gov.upthreshold = 45;
	pd->gov.downdifferential = 5;
	prdev->devfreq = pd;

	pd->devfreq = devm_devfreq_add_device(dev, &pd->profile,
					      DEVFREQ_GOV_SIMPLE_ONDEMAND, &pd->gov);
	if (IS_ERR(pd->devfreq)) {
		ret = PTR_ERR(pd->devfreq);
		pd->devfreq = NULL;
		prdev->devfreq = NULL;
		return dev_err_probe(dev, ret, "cannot add the devfreq device\n");
	}
	return 0;
}

/*
 * The scheduler says whether the GPU has work (a group with jobs in flight
 * on a slot): the governor's load is the share of time it had. Without it
 * simple_ondemand saw an idle GPU and kept the lowest frequency.
 */
void panref_devfreq_record(struct panref_device *prdev, bool busy)
{
	struct panref_devfreq *pd = prdev->devfreq;
	unsigned long flags;

	if (!pd)
		return;
	spin_lock_irqsave(&pd->lock, flags);
	if (pd->gpu_busy != busy) {
		panref_devfreq_account(pd);
		pd->gpu_busy = busy;
	}
	spin_unlock_irqrestore(&pd->lock, flags);
}

int panref_devfreq_suspend(struct panref_device *prdev)
{
	if (!prdev->devfreq || !prdev->devfreq->devfreq)
		return 0;
	return devfreq_suspend_device(prdev->devfreq->devfreq);
}

int panref_devfreq_resume(struct panref_device *prdev)
{
	struct panref_devfreq *pd = prdev->devfreq;
	unsigned long flags;

	if (!pd || !pd->devfreq)
		return 0;
	spin_lock_irqsave(&pd->lock, flags);
	panref_devfreq_reset(pd);
	spin_unlock_irqrestore(&pd->lock, flags);
	return devfreq_resume_device(pd->devfreq);
}
