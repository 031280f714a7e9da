import FusionAICLI

FusionAICommand.main()
