import FusionAICLI

tuneAllocatorForBatches()
FusionAICommand.main()
