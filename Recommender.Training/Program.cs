Console.Error.WriteLine("usage: Recommender.Training evaluate|generate …");
return 2;
