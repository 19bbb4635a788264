"""LeadHub's benchmarks: a data generator, scenarios over loopback, and the hardware's floor."""
