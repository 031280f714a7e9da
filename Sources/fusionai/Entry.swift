import FusionAICLI

OpenBLASKernels.chooseForThisCPU()
tuneAllocatorForBatches()
FusionAICommand.main()
